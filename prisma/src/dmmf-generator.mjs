#!/usr/bin/env node
// A Prisma generator that writes the schema's DMMF (models, fields, enums, indexes) to JSON.
// test/schema-agreement.test.ts compares it with the migrated database, because the schema
// engine that would normally diff them cannot be downloaded here.
import helper from '@prisma/generator-helper';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

helper.generatorHandler({
  onManifest: () => ({ defaultOutput: './generated/dmmf.json', prettyName: 'esmon DMMF JSON' }),
  onGenerate: async (options) => {
    const out = options.generator.output?.value;
    if (!out) throw new Error('dmmf generator: no output path');
    const { models, enums, indexes } = options.dmmf.datamodel;
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, JSON.stringify({ models, enums, indexes }, null, 1));
  },
});
