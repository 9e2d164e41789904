package io.junction.simulators.winrm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** A minimal WinRM client (JDK HttpClient, Basic) that builds the envelopes a real client sends. */
final class WsmanTestClient {
    static final String SOAP = WsmanEndpoint.SOAP;
    static final String SHELL = WsmanEndpoint.SHELL;
    static final String WSMAN = WsmanEndpoint.WSMAN;

    record Reply(int status, String body, Document xml, HttpResponse<String> response) {
        String first(String ns, String local) {
            NodeList list = xml.getElementsByTagNameNS(ns, local);
            return list.getLength() == 0 ? null : list.item(0).getTextContent();
        }

        Element element(String ns, String local) {
            NodeList list = xml.getElementsByTagNameNS(ns, local);
            return list.getLength() == 0 ? null : (Element) list.item(0);
        }
    }

    record Output(String stdout, String stderr, int exitCode, int receives) {
    }

    private final HttpClient http;
    private final URI url;
    private final String authorization;
    String lastMessageId;

    WsmanTestClient(URI url, SSLContext tls, String user, String password) {
        this.url = url;
        this.http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String envelope(String action, String messageId, String shellId, String extraHeaders, String body) {
        return "<s:Envelope xmlns:s=\"" + SOAP + "\" xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:w=\""
                + WSMAN + "\" xmlns:rsp=\"" + SHELL + "\"><s:Header>"
                + "<a:To>https://127.0.0.1/wsman</a:To>"
                + "<a:ReplyTo><a:Address s:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>"
                + (action == null ? "" : "<a:Action s:mustUnderstand=\"true\">" + action + "</a:Action>")
                + "<w:MaxEnvelopeSize s:mustUnderstand=\"true\">153600</w:MaxEnvelopeSize>"
                + "<a:MessageID>" + messageId + "</a:MessageID>"
                + "<w:Locale xml:lang=\"en-US\" s:mustUnderstand=\"false\"/>"
                + "<w:ResourceURI s:mustUnderstand=\"true\">" + WsmanEndpoint.CMD_RESOURCE + "</w:ResourceURI>"
                + "<w:OperationTimeout>PT20S</w:OperationTimeout>"
                + (shellId == null ? "" : "<w:SelectorSet><w:Selector Name=\"ShellId\">" + shellId + "</w:Selector></w:SelectorSet>")
                + extraHeaders + "</s:Header><s:Body>" + body + "</s:Body></s:Envelope>";
    }

    Reply post(String xml) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(url).header("Authorization", authorization)
                .header("Content-Type", "application/soap+xml;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Document doc = null;
        if (!response.body().isEmpty()) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
        }
        return new Reply(response.statusCode(), response.body(), doc, response);
    }

    Reply send(String action, String shellId, String extraHeaders, String body) throws Exception {
        lastMessageId = "uuid:" + UUID.randomUUID().toString().toUpperCase();
        return post(envelope(action, lastMessageId, shellId, extraHeaders, body));
    }

    String createShell(String codepage) throws Exception {
        Reply r = send(WsmanEndpoint.CREATE, null,
                "<w:OptionSet><w:Option Name=\"WINRS_NOPROFILE\">FALSE</w:Option><w:Option Name=\"WINRS_CODEPAGE\">" + codepage
                        + "</w:Option></w:OptionSet>",
                "<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>");
        if (r.status() != 200) {
            throw new AssertionError("Create failed: " + r.body());
        }
        return r.first(SHELL, "ShellId");
    }

    Reply command(String shellId, String command, String... arguments) throws Exception {
        StringBuilder body = new StringBuilder("<rsp:CommandLine><rsp:Command>" + command + "</rsp:Command>");
        for (String a : arguments) {
            body.append("<rsp:Arguments>").append(a).append("</rsp:Arguments>");
        }
        body.append("</rsp:CommandLine>");
        return send(WsmanEndpoint.COMMAND, shellId,
                "<w:OptionSet><w:Option Name=\"WINRS_CONSOLEMODE_STDIN\">TRUE</w:Option><w:Option Name=\"WINRS_SKIP_CMD_SHELL\">FALSE</w:Option></w:OptionSet>",
                body.toString());
    }

    Reply receive(String shellId, String commandId) throws Exception {
        return send(WsmanEndpoint.RECEIVE, shellId,
                "<w:OptionSet><w:Option Name=\"WSMAN_CMDSHELL_OPTION_KEEPALIVE\">TRUE</w:Option></w:OptionSet>",
                "<rsp:Receive><rsp:DesiredStream CommandId=\"" + commandId + "\">stdout stderr</rsp:DesiredStream></rsp:Receive>");
    }

    Output receiveAll(String shellId, String commandId, Charset charset) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        for (int n = 1; ; n++) {
            Reply r = receive(shellId, commandId);
            if (r.status() == 500 && r.body().contains("w:TimedOut")) {
                continue;
            }
            if (r.status() != 200) {
                throw new AssertionError("Receive failed: " + r.body());
            }
            NodeList streams = r.xml().getElementsByTagNameNS(SHELL, "Stream");
            for (int i = 0; i < streams.getLength(); i++) {
                Element s = (Element) streams.item(i);
                byte[] data = Base64.getDecoder().decode(s.getTextContent().trim());
                (s.getAttribute("Name").equals("stdout") ? out : err).write(data);
            }
            Element state = r.element(SHELL, "CommandState");
            if (state.getAttribute("State").endsWith("/Done")) {
                int exit = Integer.parseInt(r.first(SHELL, "ExitCode"));
                return new Output(out.toString(charset), err.toString(charset), exit, n);
            }
        }
    }

    Reply signalTerminate(String shellId, String commandId) throws Exception {
        return send(WsmanEndpoint.SIGNAL, shellId, "", "<rsp:Signal CommandId=\"" + commandId + "\"><rsp:Code>"
                + WsmanEndpoint.SIGNAL_TERMINATE + "</rsp:Code></rsp:Signal>");
    }

    Reply delete(String shellId) throws Exception {
        return send(WsmanEndpoint.DELETE, shellId, "", "");
    }

    static String encode(String script) {
        return Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_16LE));
    }

    /** Runs a script the way the provider does: one shell, powershell -EncodedCommand, receive, terminate, delete. */
    Output runScript(String script) throws Exception {
        String shell = createShell("65001");
        Reply c = command(shell, "powershell", "-NoProfile", "-NonInteractive", "-EncodedCommand", encode(script));
        if (c.status() != 200) {
            throw new AssertionError("Command failed: " + c.body());
        }
        String id = c.first(SHELL, "CommandId");
        Output out = receiveAll(shell, id, StandardCharsets.UTF_8);
        signalTerminate(shell, id);
        delete(shell);
        return out;
    }
}
