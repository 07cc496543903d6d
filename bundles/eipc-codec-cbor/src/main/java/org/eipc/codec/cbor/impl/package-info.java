/** The CBOR codec component (jackson-dataformat-cbor, hardened). Private: nothing here is exported. */
package org.eipc.codec.cbor.impl;
