/**
 * Node library of the failed-messages plugins: the provider interface, the
 * extension point through which a module installs another provider, and the
 * role decision a permission policy delegates the plugin's permissions to.
 *
 * @packageDocumentation
 */
export * from './MessageSender';
export * from './extensions';
export * from './roles/FailedMessagesRoles';
