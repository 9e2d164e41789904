package io.junction.core.internal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EventPipelineTopicTest {
    @Test
    void eventTypesBecomeTopicLevels() {
        assertEquals("junction/event/openstack/instance/power_off/end", EventPipeline.topic("openstack", "instance.power_off.end"));
        assertEquals("junction/event/microsoft/alert/new", EventPipeline.topic("microsoft", "alert.new"));
    }

    @Test
    void charactersTopicsDoNotAllowAreReplaced() {
        assertEquals("junction/event/x/a_b/c", EventPipeline.topic("x", "a b..c"));
        assertEquals("junction/event/x", EventPipeline.topic("x", "..."));
    }
}
