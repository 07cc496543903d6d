package org.eipc.transport.nats.impl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Sets {@code eipc.transport.schemes} as a String[] even with one scheme (a plain {@code property="..."}
 * entry with one value would register a String), so consumers always see the type the SPI describes.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@interface TransportSchemes {
    String PREFIX_ = "eipc.";

    String[] value();
}
