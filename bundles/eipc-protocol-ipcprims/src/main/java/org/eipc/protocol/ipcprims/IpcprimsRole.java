package org.eipc.protocol.ipcprims;

/** Which side of the handshake a peer plays. */
public enum IpcprimsRole {
    /** Connects, sends the handshake request and checks the response. */
    CLIENT,
    /** Accepts, checks the request, negotiates channels and answers. */
    SERVER
}
