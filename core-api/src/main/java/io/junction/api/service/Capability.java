package io.junction.api.service;

import java.lang.reflect.Field;

/**
 * Something the platform asks of an EMS. Each capability interface declares its name in a
 * {@code NAME} constant, the name provider types use in {@link io.junction.api.RoleSpec#capabilities()}.
 */
public interface Capability {

    /** The {@code NAME} of a capability interface, e.g. {@code power} for {@link PowerCapability}. */
    static String nameOf(Class<? extends Capability> type) {
        try {
            Field name = type.getField("NAME");
            return (String) name.get(null);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException(type.getName() + " declares no String NAME constant", e);
        }
    }
}
