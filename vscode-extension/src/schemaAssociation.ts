/**
 * How floe.schema.json reaches the YAML extension (redhat.vscode-yaml) without doubling
 * floe-lsp's diagnostics.
 *
 * The extension contributes the full schema statically (`yamlValidation` in package.json)
 * and also registers a schema contributor with the YAML extension's API. yaml-language-
 * server asks contributors first and, when one answers, uses only that schema for the
 * file. While floe-lsp serves floe files (starting, running, or about to start) the
 * contributor answers with a documentation-only copy of the schema: same properties and
 * descriptions, so the YAML extension's hover and completion still work, but no keyword
 * that can fail validation, so it reports nothing floe-lsp already reports. When floe-lsp
 * has failed, the contributor answers nothing and the full schema validates the file.
 *
 * Pure: no `vscode` import, tested against the real yaml-language-server.
 */
import * as path from "node:path";

/** Scheme of the contributor; the YAML extension routes content requests by it. */
export const CONTRIBUTOR_SCHEME = "floe";
export const DOCS_SCHEMA_URI = `${CONTRIBUTOR_SCHEME}://schemas/floe.docs.schema.json`;

/** File names the extension serves; the same patterns as package.json's yamlValidation. */
export const FLOE_FILE_PATTERNS = ["**/floe.yaml", "**/floe.yml", "**/*.floe.yaml"] as const;

export function isFloeFileName(fileName: string): boolean {
  const base = path.posix.basename(fileName.replace(/\\/g, "/"));
  return base === "floe.yaml" || base === "floe.yml" || (base.endsWith(".floe.yaml") && base.length > ".floe.yaml".length);
}

/** A document URI (as the YAML extension passes it) that names a floe file. */
export function isFloeUri(uri: string): boolean {
  const withoutQuery = uri.split(/[?#]/, 1)[0] ?? "";
  let decoded = withoutQuery;
  try {
    decoded = decodeURIComponent(withoutQuery);
  } catch {
    // keep the raw text
  }
  return isFloeFileName(decoded);
}

/** The contributor's answer: the docs-only schema while floe-lsp serves the file, else none. */
export function contributedSchemaFor(resource: string, floeLspServes: boolean): string | undefined {
  return floeLspServes && isFloeUri(resource) ? DOCS_SCHEMA_URI : undefined;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keywords whose value is a map of name -> subschema. */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions"]);
/** Keywords whose value is a subschema. */
const SCHEMA_VALUES = new Set(["additionalProperties", "items", "additionalItems"]);
/** Keywords whose value is a list of subschemas. */
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "prefixItems", "items"]);
/**
 * Keywords that can make a document invalid (JSON Schema validation vocabulary plus the
 * yaml-language-server extensions that emit diagnostics). `type` goes too: an unexpected
 * type is a diagnostic of its own.
 */
const VALIDATION_KEYWORDS = new Set([
  "type",
  "enum",
  "const",
  "required",
  "not",
  "if",
  "then",
  "else",
  "dependencies",
  "dependentRequired",
  "dependentSchemas",
  "propertyNames",
  "minProperties",
  "maxProperties",
  "unevaluatedProperties",
  "unevaluatedItems",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "contentMediaType",
  "contentEncoding",
  "minItems",
  "maxItems",
  "uniqueItems",
  "contains",
  "minContains",
  "maxContains",
  "deprecated",
  "deprecationMessage",
  "errorMessage",
  "patternErrorMessage",
  "$id",
  "id",
]);

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stripSchema(schema: Json): Json {
  if (!isObject(schema)) {
    return schema; // boolean schemas; `false` only appears under keywords that are dropped
  }
  const out: { [key: string]: Json } = {};
  const examples: Json[] = Array.isArray(schema.examples) ? [...schema.examples] : [];
  for (const [key, value] of Object.entries(schema)) {
    if (key === "examples") {
      continue; // merged with enum/const values below
    } else if (key === "enum" && Array.isArray(value)) {
      examples.push(...value); // still offered as completions, no longer enforced
    } else if (key === "const") {
      examples.push(value);
    } else if (key === "oneOf" && Array.isArray(value)) {
      // several branches may match a stripped schema: anyOf cannot complain about that
      const branches = { anyOf: value.map(stripSchema) };
      if ("anyOf" in schema) {
        out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), branches];
      } else {
        out.anyOf = branches.anyOf;
      }
    } else if (VALIDATION_KEYWORDS.has(key)) {
      continue;
    } else if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, stripSchema(sub)]));
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      const stripped = value.map(stripSchema);
      out[key] = key === "allOf" && Array.isArray(out.allOf) ? [...stripped, ...out.allOf] : stripped;
    } else if (SCHEMA_VALUES.has(key)) {
      if (isObject(value)) {
        out[key] = stripSchema(value); // booleans here are validation (false) or the default (true)
      }
    } else {
      out[key] = value; // title, description, markdownDescription, default, $ref, ...
    }
  }
  if (examples.length > 0) {
    out.examples = examples;
  }
  return out;
}

/** The documentation-only copy of a JSON Schema: nothing in it can fail validation. */
export function documentationOnlySchema(schema: unknown): unknown {
  return stripSchema(schema as Json);
}
