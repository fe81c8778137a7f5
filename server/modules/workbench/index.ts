// The workbench's public face: the signed-in staff member's landing page, composed from the other modules.
export { workbenchRoutes } from './workbench.routes.js';
export { getWorkbench } from './workbench.service.js';
