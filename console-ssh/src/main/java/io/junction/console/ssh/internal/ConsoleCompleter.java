package io.junction.console.ssh.internal;

import io.junction.api.security.Caller;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Tab completion of the remote console: the command names the caller may run. */
final class ConsoleCompleter implements Completer {
    private final RemoteCommandProcessor processor;
    private final Caller caller;

    ConsoleCompleter(RemoteCommandProcessor processor, Caller caller) {
        this.processor = processor;
        this.caller = caller;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() == 0) {
            for (String name : processor.commandsFor(caller)) {
                candidates.add(new Candidate(name));
            }
            candidates.add(new Candidate("exit"));
        }
    }
}
