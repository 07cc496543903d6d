/** The MessagePack codec component (msgpack-jackson, hardened). Private: nothing here is exported. */
package org.eipc.codec.msgpack.impl;
