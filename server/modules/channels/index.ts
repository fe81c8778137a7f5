// The channels module's public face: IM group robots (WeCom, DingTalk, Feishu) and the card other modules queue to them.
export { channelsRoutes } from './channels.routes.js';
export { IM_JOB, imSendHandler, queueImCard, type QueuedImCard } from './channels.service.js';
export { imPlatforms, type ImPlatform } from './im.domain.js';
