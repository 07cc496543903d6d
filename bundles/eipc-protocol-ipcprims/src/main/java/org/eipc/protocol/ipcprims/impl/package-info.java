/** Private helpers of the ipcprims bundle: the strict JSON reader and the compact JSON writer. Not exported. */
package org.eipc.protocol.ipcprims.impl;
