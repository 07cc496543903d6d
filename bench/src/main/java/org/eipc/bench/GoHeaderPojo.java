package org.eipc.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The reference's protocol.Header as a Jackson POJO, fields in Go order: the databind baseline. */
@JsonPropertyOrder({"service_id", "session_id", "request_id", "sequence", "timestamp", "priority", "capability",
    "route", "payload_format"})
public final class GoHeaderPojo {
    @JsonProperty("service_id")
    public String serviceId = "";
    @JsonProperty("session_id")
    public String sessionId = "";
    @JsonProperty("request_id")
    public String requestId = "";
    @JsonProperty("sequence")
    public long sequence;
    @JsonProperty("timestamp")
    public String timestamp = "";
    @JsonProperty("priority")
    public int priority;
    @JsonProperty("capability")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String capability = "";
    @JsonProperty("route")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String route = "";
    @JsonProperty("payload_format")
    public int payloadFormat;
}
