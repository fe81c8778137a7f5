// The notification centre's public face: each person's notices (the bell), channel choices and quiet hours;
// it listens to the other modules' events and reaches people in the console, by mail and in IM groups.
export { notificationsRoutes } from './notifications.routes.js';
export { notificationSubscriptions } from './notifications.subscribers.js';
export { deliverNotice, type Notice } from './notifications.service.js';
export { noticeKinds, type NoticeKind } from './notifications.domain.js';
