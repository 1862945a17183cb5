/**
 * Boundary contracts: who owns each side of a boundary and how to reach them, the budgets a call
 * must stay within, and the interface versions both sides agreed on. A contract file (and
 * optionally a Backstage catalog) is read, reloaded when it changes, checked against the calls the
 * pairing store reports, and exported as the series the ownership rules and alerts join.
 */
package dev.seam.collector.contract;
