// Saved views of the console's lists (accounts, service desk): a person's filters and sort under a name.
export { viewsRoutes } from './views.routes.js';
