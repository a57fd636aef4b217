import { PermanentDeliveryError } from './delivery-errors';

/**
 * The provider cannot edit that message (deleted, too old, not the bot's): permanent for the
 * edit, never for the notification, which then goes out as a new message.
 */
export class MessageNotEditableError extends PermanentDeliveryError {}
