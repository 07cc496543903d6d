/**
 * {@code eipc record} and {@code eipc replay}: the recording proxy and the replaying client, over the standalone
 * runtime. The file format and the reply comparison are the trace bundle's ({@code org.eipc.service.trace.record}),
 * so a file the in-host recorder wrote replays the same way.
 */
package org.eipc.launcher.record;
