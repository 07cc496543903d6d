/**
 * The broker component, its topic tree, per-subscriber queues, delivery pool, request routing and the wire
 * protocol for remote peers. Private: not exported.
 */
package org.eipc.service.broker.impl;
