/**
 * Node library of the failed-messages plugins: the provider interface and the
 * extension point through which a module installs another provider.
 *
 * @packageDocumentation
 */
export * from './MessageSender';
export * from './extensions';
