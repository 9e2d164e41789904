package io.junction.provider.microsoft.internal.winrm;

import org.apache.http.Header;
import org.apache.http.HttpRequest;
import org.apache.http.auth.AuthenticationException;
import org.apache.http.auth.Credentials;
import org.apache.http.impl.auth.NTLMScheme;
import org.apache.http.message.BufferedHeader;
import org.apache.http.util.CharArrayBuffer;

/**
 * NTLM carried in the {@code Negotiate} scheme. A Windows WinRM listener offers only
 * {@code Negotiate} (and {@code Kerberos}); it accepts raw NTLM messages inside it, which is how
 * non-domain clients authenticate. The NTLM messages themselves are HttpClient's (NTLMv2),
 * only the scheme name on the wire changes.
 */
final class NegotiateNtlmScheme extends NTLMScheme {
    static final String NAME = "Negotiate";

    @Override
    public String getSchemeName() {
        return NAME;
    }

    @Override
    public Header authenticate(Credentials credentials, HttpRequest request) throws AuthenticationException {
        Header ntlm = super.authenticate(credentials, request);
        String value = ntlm.getValue();
        String token = value.regionMatches(true, 0, "NTLM ", 0, 5) ? value.substring(5) : value;
        CharArrayBuffer buffer = new CharArrayBuffer(32 + token.length());
        buffer.append(ntlm.getName());
        buffer.append(": ");
        buffer.append(NAME);
        buffer.append(' ');
        buffer.append(token);
        return new BufferedHeader(buffer);
    }
}
