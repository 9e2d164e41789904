package io.junction.api;

/** Names of the capabilities the platform asks of an EMS, as declared in {@link RoleSpec#capabilities()}. */
public final class Capabilities {
    public static final String INVENTORY = "inventory";
    public static final String POWER = "power";
    public static final String EVENTS = "events";
    public static final String DISCOVERY = "discovery";

    private Capabilities() {
    }
}
