using System.Security.Cryptography;
using System.Text;
using Oee.Grains.Webhooks;

namespace Oee.Grains.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    [Fact]
    public void A_whsec_secret_is_its_base64_bytes_and_any_other_text_its_utf8_bytes()
    {
        Assert.Equal("secret-key-bytes"u8.ToArray(), WebhookSignature.KeyOf("whsec_" + Convert.ToBase64String("secret-key-bytes"u8.ToArray())));
        Assert.Equal("plain text secret"u8.ToArray(), WebhookSignature.KeyOf("plain text secret"));
        Assert.Null(WebhookSignature.KeyOf("whsec_***"));
        Assert.Null(WebhookSignature.KeyOf(null));
    }

    [Fact]
    public void The_signature_is_v1_and_the_hmac_of_id_timestamp_and_body()
    {
        var key = "0123456789abcdef0123"u8.ToArray();
        var body = "{\"a\":1}"u8.ToArray();

        var signature = WebhookSignature.Sign(key, "msg_1", 1_700_000_000, body);

        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("msg_1.1700000000.{\"a\":1}")));
        Assert.Equal("v1," + expected, signature);
        Assert.NotEqual(signature, WebhookSignature.Sign(key, "msg_1", 1_700_000_001, body));
    }
}
