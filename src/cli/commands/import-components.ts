/** `npx jiesu import-components --file parts.geojson|parts.csv [--dry-run]`: city components (GB/T 30428), all or nothing. */
import type { CliCommand } from '../command.js';
import { runImport } from './import-grids.js';

export const command: CliCommand = {
  name: 'import-components',
  summary: 'import city components (GeoJSON/CSV, GB/T 30428 class codes), all or nothing',
  run: async (argv, io) => {
    const { importComponents } = await import('../../app/cityops/importComponents.js');
    return runImport('import-components', '部件', 'GeoJSON: Point features, properties code, classCode (4 digits), className?, name?, state?, ownerUnitCode?, streetCode?.\nCSV: code,class_code,class_name,name,lng,lat,state,owner_unit,street', importComponents, argv, io);
  },
};
