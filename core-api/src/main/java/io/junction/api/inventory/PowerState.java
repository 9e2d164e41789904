package io.junction.api.inventory;

/** A VM's or host's power state, normalised across providers; the provider's own value is kept beside it. */
public enum PowerState {
    ON, OFF, SUSPENDED, UNKNOWN;

    /** Lower-case name as commands print and accept it. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
