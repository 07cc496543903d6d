package org.eipc.schema.impl;

import java.nio.ByteBuffer;

import org.eipc.protocol.ipcprims.ChannelValidator;
import org.eipc.schema.SchemaValidator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * The ipcprims {@link ChannelValidator}: channel N is validated against schema {@code channel-N}; a channel
 * without a schema file passes. A separate component (and class) so that the schema service works without the
 * ipcprims bundle: its package is imported optionally, and only this component fails to load without it.
 */
// Same PID and policy as the schema validator: without a schema directory there is nothing to validate against,
// so this component waits for that configuration too instead of showing up as an unsatisfied reference.
@Component(service = ChannelValidator.class, configurationPid = "org.eipc.schema",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class SchemaChannelValidator implements ChannelValidator {
    /** Schema id prefix of a channel: channel 2 → {@code channel-2}. */
    static final String PREFIX = "channel-";

    private final SchemaValidator schemas;

    @Activate
    public SchemaChannelValidator(@Reference(name = "schemas") final SchemaValidator schemas) {
        this.schemas = schemas;
    }

    @Override
    public void validate(final int channel, final ByteBuffer payload) {
        final String id = PREFIX + Integer.toUnsignedString(channel);
        if (schemas.hasSchema(id)) {
            schemas.validate(id, payload);
        }
    }
}
