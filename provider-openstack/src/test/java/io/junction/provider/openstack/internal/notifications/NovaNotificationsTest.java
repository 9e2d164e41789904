package io.junction.provider.openstack.internal.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.junction.api.service.EmsEvent;
import io.junction.provider.openstack.internal.Samples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NovaNotificationsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");

    @Test
    void osloEnvelopeHoldsTheNotificationAsAJsonString() throws Exception {
        EmsEvent e = NovaNotifications.event(Samples.bytes("nova-notification.json"), NOW);
        assertEquals("nova", e.source());
        assertEquals("d7d7b2a7-7e5c-4a4e-8a5c-3a4f0b1d2c3e", e.providerEventId());
        assertEquals("instance.power_off.end", e.type());
        assertEquals("info", e.severity());
        assertEquals(Instant.parse("2026-11-25T07:30:12.345678Z"), e.occurredAt());
        assertEquals("9168b536-cd40-4630-b43f-b259807c6e87", e.subjectRef());
        assertEquals("web01: instance.power_off.end (state stopped, power shutdown)", e.message());
        assertEquals("nova-compute:compute1", e.attributes().get("publisherId"));
        assertEquals("InstanceActionPayload", e.attributes().get("payloadType"));
        assertEquals("compute1", e.attributes().get("host"));
    }

    @Test
    void errorNotificationCarriesItsFault() throws Exception {
        String inner = "{\"message_id\":\"m2\",\"publisher_id\":\"nova-compute:c1\",\"event_type\":\"instance.create.error\","
                + "\"priority\":\"ERROR\",\"timestamp\":\"2026-11-25T07:31:00Z\",\"payload\":{\"nova_object.name\":\"InstanceCreatePayload\","
                + "\"nova_object.data\":{\"uuid\":\"u1\",\"display_name\":\"vm1\",\"state\":\"error\",\"fault\":{\"nova_object.name\":\"ExceptionPayload\","
                + "\"nova_object.data\":{\"exception\":\"NoValidHost\",\"exception_message\":\"No valid host was found.\"}}}}}";
        String envelope = "{\"oslo.version\":\"2.0\",\"oslo.message\":" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(inner) + "}";
        EmsEvent e = NovaNotifications.event(envelope.getBytes(StandardCharsets.UTF_8), NOW);
        assertEquals("error", e.severity());
        assertEquals("No valid host was found.", e.attributes().get("fault"));
        assertEquals("vm1: instance.create.error (state error): No valid host was found.", e.message());
        assertEquals(Instant.parse("2026-11-25T07:31:00Z"), e.occurredAt());
    }

    @Test
    void unenvelopedAndMalformedMessages() throws Exception {
        EmsEvent plain = NovaNotifications.event(("{\"message_id\":\"m3\",\"event_type\":\"compute.instance.delete.end\",\"priority\":\"WARN\","
                + "\"payload\":{\"instance_id\":\"u3\",\"display_name\":\"old\"}}").getBytes(StandardCharsets.UTF_8), NOW);
        assertEquals("u3", plain.subjectRef());
        assertEquals("warning", plain.severity());
        assertEquals(NOW, plain.occurredAt(), "no timestamp: the time it was received");
        assertThrows(NovaNotifications.MalformedNotification.class, () -> NovaNotifications.event("nope".getBytes(), NOW));
        assertThrows(NovaNotifications.MalformedNotification.class,
                () -> NovaNotifications.event("{\"oslo.version\":\"2.0\",\"oslo.message\":{\"message_id\":\"x\"}}".getBytes(), NOW));
        assertThrows(NovaNotifications.MalformedNotification.class,
                () -> NovaNotifications.event("{\"oslo.version\":\"2.0\",\"oslo.message\":\"{\\\"event_type\\\":\\\"x\\\"}\"}".getBytes(), NOW));
    }

    @Test
    void queueAndVirtualHost() {
        assertEquals("junction.My_Cloud.notifications", NotificationHandle.queueName("My Cloud"));
        assertEquals("/", Broker.virtualHost(""));
        assertEquals("/", Broker.virtualHost("/%2F"));
        assertEquals("openstack", Broker.virtualHost("/openstack"));
    }
}
