/** Unix domain socket transport implementation. Not exported. */
package org.eipc.transport.unix.impl;
