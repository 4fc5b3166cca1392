"""The sub-commands of ``floe``; each module adds its parser and runs its command."""
