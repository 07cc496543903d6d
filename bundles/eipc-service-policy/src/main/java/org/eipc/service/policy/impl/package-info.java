/**
 * The policy engine: rules parsed from the configuration ({@link org.eipc.service.policy.impl.RuleParser}) into an
 * immutable {@link org.eipc.service.policy.impl.RuleSet} that the DS component
 * {@link org.eipc.service.policy.impl.PolicyComponent} swaps atomically on every configuration update, and consults
 * as the runtime's message gate. Private.
 */
package org.eipc.service.policy.impl;
