/** The JSON codec component (Jackson databind, hardened). Private: nothing here is exported. */
package org.eipc.codec.json.impl;
