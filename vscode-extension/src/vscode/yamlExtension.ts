/**
 * Registers floe's schema contributor with the YAML extension (redhat.vscode-yaml) when it
 * is installed; see ../schemaAssociation.ts for why this avoids duplicate diagnostics.
 */
import * as fs from "node:fs";
import * as vscode from "vscode";
import { CONTRIBUTOR_SCHEME, contributedSchemaFor, documentationOnlySchema } from "../schemaAssociation";

const YAML_EXTENSION_ID = "redhat.vscode-yaml";

interface YamlExtensionApi {
  registerContributor(
    schema: string,
    requestSchema: (resource: string) => string | undefined,
    requestSchemaContent: (uri: string) => string | undefined,
    label?: string,
  ): boolean;
}

export async function registerSchemaContributor(
  context: vscode.ExtensionContext,
  floeLspServes: () => boolean,
  log: vscode.LogOutputChannel,
): Promise<void> {
  const extension = vscode.extensions.getExtension<YamlExtensionApi>(YAML_EXTENSION_ID);
  if (extension === undefined) {
    return;
  }
  try {
    const yaml = extension.isActive ? extension.exports : await extension.activate();
    if (typeof yaml?.registerContributor !== "function") {
      log.warn(`${YAML_EXTENSION_ID} has no registerContributor API; its schema diagnostics may repeat floe-lsp's`);
      return;
    }
    const schemaFile = context.asAbsolutePath("schemas/floe.schema.json");
    let docsSchema: string | undefined;
    const registered = yaml.registerContributor(
      CONTRIBUTOR_SCHEME,
      (resource) => contributedSchemaFor(resource, floeLspServes()),
      () => {
        docsSchema ??= JSON.stringify(documentationOnlySchema(JSON.parse(fs.readFileSync(schemaFile, "utf8"))));
        return docsSchema;
      },
    );
    log.info(`schema contributor for ${YAML_EXTENSION_ID} ${registered ? "registered" : "was already registered"}`);
  } catch (error) {
    log.warn(`could not register the schema contributor with ${YAML_EXTENSION_ID}: ${String(error)}`);
  }
}
