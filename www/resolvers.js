// DNS-over-HTTPS resolver settings for every front end (the web page, the popup, the options
// page): the defaults and the check of a URL list are the core's (cf503_core::dns::doh, through
// the engine); this only turns a text box into a list. Call after the engine is initialised.
import { doh_defaults, check_resolvers } from './pkg/cf503_wasm.js';

/** The resolvers used when the user names none. */
export const defaultResolvers = () => doh_defaults().resolvers;

/** One URL per line → the checked list; throws with what is wrong and what to give instead. */
export const parseResolverText = (text) => check_resolvers(String(text).split('\n'));

/** A saved list, checked, or the defaults when none was saved. A saved list that no longer
 * passes is an error, never silently replaced: the origin name must go only where the user said. */
export const resolversOrDefault = (saved) => (Array.isArray(saved) && saved.length ? check_resolvers(saved) : defaultResolvers());
