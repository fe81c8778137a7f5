// The value-add module's public face: six core tasks, catalog, focus and recommendations, service plan, budget, input vs output.
export { valueAddRoutes } from './value-add.routes.js';
export { bookServiceProduct, cancelBooking, approveBooking, setOpeningSpent, getBudget } from './budget.service.js';
export { setFocus, updateTask, captureFromTask } from './plan.service.js';
export { ensureSetup, updateSettings } from './catalog.service.js';
export { listPortalCatalog, requestFromPortal, type PortalCatalogItem } from './portal.service.js';
export { rankInputOutput, type IoRow } from './input-output.domain.js';
export { findBooking, paidBookingsWithPromise } from './value-add.repo.js';
export { TaskDone, BookingAwaitingApproval } from './value-add.events.js';
export { coreTasks, coreTaskLabels, type CoreTask } from './tasks.domain.js';
export { defaultCatalog, seed001Menu, seed003Menu } from './catalog.domain.js';
