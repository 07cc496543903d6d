package org.eipc.launcher.net;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import org.eipc.api.Endpoint;
import org.eipc.api.ErrorCode;
import org.eipc.api.Header;
import org.eipc.api.IpcException;
import org.eipc.api.Message;
import org.eipc.api.MessageType;
import org.eipc.api.PeerIdentity;
import org.eipc.api.SendResult;
import org.eipc.api.Session;
import org.eipc.runtime.EipcRuntime;
import org.eipc.runtime.EndpointOptions;

/**
 * The EIPC protocol for the network commands, on an {@link EipcRuntime}: the client is a runtime session, the
 * server a runtime endpoint. In compat mode the server answers like the reference: an intent gets an {@code a}
 * ack {@code {"request_id","status":"ok"}}, a heartbeat nothing.
 */
public final class EipcSessions {
    private EipcSessions() {
    }

    /** The message type {@code --type} names: a wire name ({@code intent}), an enum name or the wire char. */
    public static MessageType type(String text, MessageType dflt) {
        if (text == null) {
            return dflt;
        }
        MessageType t = MessageType.fromWireName(text);
        if (t == null && text.length() == 1) {
            t = MessageType.fromWire(text.charAt(0));
        }
        if (t == null) {
            try {
                t = MessageType.valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
        }
        if (t == null) {
            throw new IpcException(ErrorCode.CONFIG_INVALID, "unknown message type '" + text
                    + "' (a name such as intent, heartbeat, tool_request, or its character such as i, h, t)");
        }
        return t;
    }

    /** Connects and authenticates; messages the peer sends unasked are logged. */
    public static ClientSession connect(EipcRuntime runtime, URI address, EndpointOptions options, String keyId,
            Duration timeout, PrintStream log) {
        Session s = runtime.connect(List.of(address), options, (session, m) -> log.println(
                "eipc: unsolicited " + describe(m)), timeout);
        return new Client(s, address, options, keyId);
    }

    /** Listens on {@code address}; see the class comment for compat replies. */
    public static MessageServer listen(EipcRuntime runtime, URI address, EndpointOptions options,
            MessageServer.Handler handler, PrintStream log) {
        boolean compat = options.mode() == EndpointOptions.Mode.COMPAT;
        Endpoint e = runtime.listen(List.of(address), options, (session, m) -> {
            byte[] reply = handler.onMessage(toReceived(m, session));
            if (reply == null) {
                return;
            }
            MessageType t = m.type();
            Message answer;
            if (compat && t == MessageType.HEARTBEAT) {
                return;
            } else if (compat && t == MessageType.INTENT) {
                String ack = Json.createObjectBuilder().add("request_id", m.header().requestId()).add("status", "ok")
                        .build().toString();
                answer = Message.of(MessageType.ACK, Header.builder().sessionId(m.header().sessionId()).build(),
                        ack.getBytes(StandardCharsets.UTF_8));
            } else {
                answer = Message.ofWire(m.typeByte(), Header.builder().priority(m.header().priority())
                        .capability(m.header().capability()).route(m.header().route()).build(),
                        java.nio.ByteBuffer.wrap(reply));
            }
            SendResult r = session.reply(m, answer);
            if (r == SendResult.BACK_PRESSURE) {
                log.println("eipc: reply to session " + session.id() + " dropped: back-pressure");
            }
        });
        return new MessageServer() {
            @Override
            public URI address() {
                return e.address();
            }

            @Override
            public void close() {
                e.close();
            }
        };
    }

    static Received toReceived(Message m, Session session) {
        Header h = m.header();
        MessageType t = m.type();
        JsonObjectBuilder b = Json.createObjectBuilder().add("protocol", "eipc")
                .add("type", t == null ? String.format("0x%02x", m.typeByte() & 0xff) : t.wireName())
                .add("type_char", String.valueOf((char) (m.typeByte() & 0xff)))
                .add("service_id", h.serviceId()).add("session_id", h.sessionId()).add("request_id", h.requestId())
                .add("sequence", Json.createValue(new java.math.BigInteger(h.sequenceText())))
                .add("timestamp", h.timestamp()).add("priority", h.priority()).add("capability", h.capability())
                .add("route", h.route());
        if (session != null) {
            b.add("peer_service_id", session.peer().serviceId());
        }
        return new Received(b.build(), m.payloadBytes());
    }

    private static String describe(Message m) {
        MessageType t = m.type();
        return (t == null ? "type 0x" + Integer.toHexString(m.typeByte() & 0xff) : t.wireName()) + " message, "
                + m.payloadLength() + " bytes";
    }

    private static final class Client implements ClientSession {
        private final Session session;
        private final URI address;
        private final EndpointOptions options;
        private final String keyId;

        Client(Session session, URI address, EndpointOptions options, String keyId) {
            this.session = session;
            this.address = address;
            this.options = options;
            this.keyId = keyId;
        }

        private static Message message(String type, byte[] payload, MessageType dflt) {
            return Message.of(type(type, dflt), Header.builder().build(), payload);
        }

        @Override
        public void send(String type, byte[] payload, Duration timeout) {
            Message m = message(type, payload, MessageType.INTENT);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                SendResult r = session.send(m);
                if (r == SendResult.OK) {
                    return;
                }
                if (r == SendResult.CLOSED) {
                    throw new IpcException(ErrorCode.CONNECTION_CLOSED, "the session closed while sending");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IpcException(ErrorCode.REQUEST_TIMEOUT, "back-pressure did not clear within "
                            + timeout.toMillis() + " ms");
                }
                await(session.whenWritable().toCompletableFuture(), Duration.ofNanos(left));
            }
        }

        @Override
        public Received request(String type, byte[] payload, Duration timeout) {
            Message reply = await(session.request(message(type, payload, MessageType.INTENT), timeout)
                    .toCompletableFuture(), timeout.plusMillis(500));
            return toReceived(reply, null);
        }

        @Override
        public long ping(Duration timeout) {
            MessageType dflt = options.mode() == EndpointOptions.Mode.COMPAT ? MessageType.INTENT
                    : MessageType.HEARTBEAT;
            long start = System.nanoTime();
            await(session.request(Message.of(dflt, Header.builder().build(),
                    "{\"ping\":true}".getBytes(StandardCharsets.UTF_8)), timeout).toCompletableFuture(),
                    timeout.plusMillis(500));
            return System.nanoTime() - start;
        }

        @Override
        public JsonObject info() {
            PeerIdentity p = session.peer();
            JsonArrayBuilder caps = Json.createArrayBuilder();
            p.capabilities().stream().sorted().forEach(caps::add);
            JsonObjectBuilder cred = Json.createObjectBuilder();
            p.uid().ifPresent(v -> cred.add("uid", v));
            p.gid().ifPresent(v -> cred.add("gid", v));
            if (!p.principal().isEmpty()) {
                cred.add("principal", p.principal());
            }
            return Json.createObjectBuilder().add("address", address.toString()).add("protocol", "eipc")
                    .add("mode", options.mode().name().toLowerCase(Locale.ROOT))
                    .add("service_id", options.serviceId()).add("peer_service_id", p.serviceId())
                    .add("session_id", session.id()).add("capabilities", caps).add("peer_credentials", cred)
                    .add("key_id", keyId).build();
        }

        /**
         * Closes in order and waits until the session has ended: in strict mode that is when the peer acknowledged
         * everything (or the close drain timeout, which {@code Net} sets to {@code --timeout}, passed; the runtime
         * then logs what was not confirmed). {@link Session#close()} itself returns at once.
         */
        @Override
        public void finish(Duration timeout) {
            session.close();
            long deadline = System.nanoTime() + timeout.plusSeconds(1).toNanos();
            while (session.isOpen()) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new IpcException(ErrorCode.REQUEST_TIMEOUT, "the session did not close within "
                            + timeout.toMillis() + " ms");
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IpcException(ErrorCode.INTERNAL, "interrupted");
                }
            }
        }

        @Override
        public void close() {
            session.close();
        }
    }

    /** Waits for {@code f}; its failure or the deadline become {@link IpcException}s. */
    static <T> T await(java.util.concurrent.CompletableFuture<T> f, Duration timeout) {
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IpcException(ErrorCode.REQUEST_TIMEOUT, "no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause();
            throw c instanceof IpcException ipc ? ipc
                    : new IpcException(ErrorCode.INTERNAL, "failed: " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(ErrorCode.INTERNAL, "interrupted");
        }
    }
}
