/**
 * Implementation (private): the {@code Tracer} service, the span tap with its ring, and the session recorder with
 * its writer thread.
 */
package org.eipc.service.trace.impl;
