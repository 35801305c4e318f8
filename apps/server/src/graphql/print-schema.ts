// Prints the SDL to schema/schema.graphql (run by `turbo run generate`); the committed file is
// the public contract and test/schema-printed.test.ts fails when it is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { schema } from './schema.ts';

export const sdlPath = fileURLToPath(new URL('../../../../schema/schema.graphql', import.meta.url));
export const printedSdl = () => `${printSchema(schema)}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(sdlPath, printedSdl());
  console.log(`wrote ${sdlPath}`);
}
