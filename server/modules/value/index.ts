// The value module's public face: indicator library, per-account value projects and the value report.
export { valueRoutes } from './value.routes.js';
export {
  ensureLibrary,
  getLibrary,
  getProject,
  addItem,
  updateItem,
  recordActual,
  valueTotals,
  type ItemInput,
  type ActualInput,
} from './value.service.js';
export { getReport, getPortalReport, type ValueReport } from './report.service.js';
export { reportPdf, reportHtml } from './report.view.js';
export { ValueActualRecorded } from './value.events.js';
export { defaultLibrary, stages as valueStages, dimensions as valueDimensions, units as valueUnits } from './library.data.js';
