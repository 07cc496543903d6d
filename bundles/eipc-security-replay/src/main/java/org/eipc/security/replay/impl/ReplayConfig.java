package org.eipc.security.replay.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC replay guard",
        description = "Sliding window over the unsigned 64-bit frame sequence numbers of each session direction")
@interface ReplayConfig {

    @AttributeDefinition(min = "16", max = "65536",
            description = "How far behind the highest sequence seen a frame may still arrive (out of order) and be"
                    + " accepted. A frame exactly 'window' behind is still accepted, as in the reference."
                    + " 128 matches the EIPC reference.")
    int window() default BitmapReplayGuardProvider.DEFAULT_WINDOW;
}
