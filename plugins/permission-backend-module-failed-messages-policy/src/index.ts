/**
 * A permission policy for portals without one of their own: the
 * failed-messages roles, every other permission allowed.
 *
 * @packageDocumentation
 */
export { permissionModuleFailedMessagesPolicy as default } from './module';
export { FailedMessagesRolePolicy } from './FailedMessagesRolePolicy';
