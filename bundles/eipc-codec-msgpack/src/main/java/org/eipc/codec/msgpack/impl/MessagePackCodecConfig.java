package org.eipc.codec.msgpack.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EIPC MessagePack codec",
        description = "Payload codec for payload_format 1 (MessagePack) with input limits")
@interface MessagePackCodecConfig {

    @AttributeDefinition(min = "16", max = "268435456", description = "Largest payload in bytes that decode"
            + " accepts; a larger one fails with CODEC_ERROR before any parsing")
    int maxInputBytes() default 1 << 20;

    @AttributeDefinition(min = "1", max = "1000", description = "Deepest nesting of arrays and objects accepted"
            + " when decoding and produced when encoding")
    int maxNestingDepth() default 64;

    @AttributeDefinition(min = "1", max = "268435456", description = "Longest string value (characters) accepted"
            + " when decoding")
    int maxStringLength() default 1 << 20;

    @AttributeDefinition(min = "1", max = "100000", description = "Most digits in one number accepted when"
            + " decoding (bounds the cost of big number parsing)")
    int maxNumberLength() default 1000;
}
