/**
 * NATS transport implementation: one {@link org.eipc.spi.transport.Connection} is a pair of NATS subjects,
 * one per direction, carrying sequenced {@link org.eipc.transport.nats.impl.Packet}s. Not exported; jnats is
 * embedded privately.
 */
package org.eipc.transport.nats.impl;
