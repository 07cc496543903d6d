package org.eipc.spi.transport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.bundle.Attribute;
import org.osgi.annotation.bundle.Capability;

/**
 * Put on a transport component so its bundle advertises the capability {@code org.eipc.transport;kind=...},
 * which features and the resolver can require.
 */
@Capability(namespace = "org.eipc.transport", version = "1.0.0")
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.PACKAGE})
public @interface ProvidesTransport {
    /** The transport kind, e.g. {@code "tcp"}. */
    @Attribute("kind")
    String value();
}
