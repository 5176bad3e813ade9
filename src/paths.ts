import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, whether running from src/ (tests) or dist/ (the CLI). */
export const packageRoot = dirname(dirname(fileURLToPath(import.meta.url)));

export const defaultPolicyFile = join(packageRoot, 'policies', 'default.yml');
export const policySchemaFile = join(packageRoot, 'policies', 'policy.schema.json');

/** A repository's own policy, relative to its top level. */
export const repositoryPolicyPath = '.mirror/policy.yml';

export const fleetSchemaFile = join(packageRoot, 'policies', 'fleet.schema.json');
/** The fleet file, relative to the control checkout's top level (or the folder it lives in). */
export const fleetFilePath = '.mirror/fleet.yml';
