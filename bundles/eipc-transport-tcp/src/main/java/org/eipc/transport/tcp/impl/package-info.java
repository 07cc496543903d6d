/** TCP/TLS transport implementation: the DS component, its configuration and the TLS setup. Not exported. */
package org.eipc.transport.tcp.impl;
