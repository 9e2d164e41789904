package io.junction.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationTargetException;
import org.junit.jupiter.api.Test;

class GogoSessionTest {
    @Test
    void describesTheCauseInOneLine() {
        Exception e = new InvocationTargetException(new IllegalStateException("first line\nsecond line"));
        assertEquals("first line", GogoSession.describe(e));
    }

    @Test
    void namesTheExceptionWhenItHasNoMessage() {
        assertEquals("NullPointerException", GogoSession.describe(new InvocationTargetException(new NullPointerException())));
    }

    @Test
    void turnsGogoSignatureErrorsIntoAHint() {
        Exception e = new IllegalArgumentException("Cannot coerce add(Token) to any of [(String, String)]");
        assertEquals("wrong arguments for add; see 'help add'", GogoSession.describe(e));
    }
}
