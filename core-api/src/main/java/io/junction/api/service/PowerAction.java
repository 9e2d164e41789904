package io.junction.api.service;

import io.junction.api.InvalidInputException;
import io.junction.api.ShownText;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What can be done to a VM's power. */
public enum PowerAction {
    /** Power on, or resume from a saved state. */
    START,
    /** Power off at once (pull the plug). */
    STOP,
    /** Ask the guest to shut down. */
    SHUTDOWN,
    SUSPEND,
    RESUME,
    /** Reboot, asking the guest where the provider can (a soft reboot). */
    RESTART,
    /** Power-cycle at once without asking the guest (a hard reboot). */
    RESET;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The action with that label.
     *
     * @throws InvalidInputException listing the actions when there is none
     */
    public static PowerAction fromLabel(String text) {
        for (PowerAction action : values()) {
            if (action.label().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return action;
            }
        }
        throw new InvalidInputException("unknown power action " + ShownText.quote(text) + "; actions: "
                + Arrays.stream(values()).map(PowerAction::label).collect(Collectors.joining(", ")));
    }
}
