namespace RecoveryConsole.Web.Tests.Exports;

/// <summary>
/// One shape of secret as a step might print it: the lines printed, the secrets among them, and the text around them
/// that must stay readable (a redactor that blanks whole lines would hide what the step did).
/// </summary>
public sealed record SecretShape(string Id, string Printed, string[] Secrets, string[] Kept);

public static class SecretShapeTable
{
    public static readonly SecretShape[] Shapes =
    [
        new("private-key-lines",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB\nAAAAMwAAAAtzc2gtZWQyNTUxOQAAACDxSecretKeyBody0042\n-----END OPENSSH PRIVATE KEY-----\nkey written to /root/.ssh/id_ed25519",
            ["b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB", "AAAAMwAAAAtzc2gtZWQyNTUxOQAAACDxSecretKeyBody0042"],
            ["-----BEGIN OPENSSH PRIVATE KEY-----", "-----END OPENSSH PRIVATE KEY-----", "key written to /root/.ssh/id_ed25519"]),
        new("private-key-in-yaml",
            "data:\n  tls.key: |\n    -----BEGIN RSA PRIVATE KEY-----\n    Proc-Type: 4,ENCRYPTED\n    DEK-Info: AES-128-CBC,7F3AEC0D2B1A\n\n    MIIEowIBAAKCAQEAyamlRsaSecretLine1\n    9d8c7b6a5f4e3d2c1b0aYamlRsaSecretLine2==\n    -----END RSA PRIVATE KEY-----\n  tls.crt: present",
            ["MIIEowIBAAKCAQEAyamlRsaSecretLine1", "9d8c7b6a5f4e3d2c1b0aYamlRsaSecretLine2", "7F3AEC0D2B1A"],
            ["tls.key: |", "tls.crt: present"]),
        new("private-key-one-line",
            "{\"key\":\"-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEIOneLineEcSecret\\n-----END EC PRIVATE KEY-----\\n\",\"kind\":\"tls\"}",
            ["MHcCAQEEIOneLineEcSecret"], ["\"kind\":\"tls\""]),
        new("aws-access-key-id", "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", ["AKIAIOSFODNN7EXAMPLE"], ["export AWS_ACCESS_KEY_ID="]),
        new("aws-credentials-file",
            "[default]\naws_access_key_id = ASIAQWERTYUIOPASDFGH\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nregion = eu-west-1",
            ["ASIAQWERTYUIOPASDFGH", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"], ["aws_secret_access_key = ", "region = eu-west-1"]),
        new("aws-sts-json",
            "{\"Credentials\": {\"AccessKeyId\": \"ASIAZXCVBNMLKJHGFDSA\", \"SecretAccessKey\": \"9drTJvcXLB89EXAMPLELB8923FB892xMFIsts\", \"SessionToken\": \"IQoJb3JpZ2luX2VjEXAMPLEsessiontoken\"}}",
            ["ASIAZXCVBNMLKJHGFDSA", "9drTJvcXLB89EXAMPLELB8923FB892xMFIsts", "IQoJb3JpZ2luX2VjEXAMPLEsessiontoken"], ["\"Credentials\""]),
        new("authorization-bearer", "> Authorization: Bearer abcDEF123456ghiJKLheader", ["abcDEF123456ghiJKLheader"], ["> Authorization: Bearer "]),
        new("bare-bearer", "calling the API with Bearer 0123456789abcdefBARE for the check", ["0123456789abcdefBARE"], ["for the check"]),
        new("jwt",
            "service account token is eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlLXNlY3JldA",
            ["eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ", "c2lnbmF0dXJlLXNlY3JldA"], ["service account token is"]),
        new("token-flag",
            "+ oc login https://api.lab-ocp4.example:6443 --token=sha256~AbCdEfGhIjKlMnOpQrStUvWxYz0123456789\n+ curl --token abcdef0123456789flag https://example.com/healthz",
            ["sha256~AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "abcdef0123456789flag"], ["+ oc login https://api.lab-ocp4.example:6443 --token=", "https://example.com/healthz"]),
        new("password-flag", "+ registry-tool --password hunter2-secret --user admin", ["hunter2-secret"], ["--user admin"]),
        new("oc-login-p", "+ oc login -u kubeadmin -p Kx7Qz-Rt9mP-aB3cD-eF4gH https://api.lab-ocp4.example:6443", ["Kx7Qz-Rt9mP-aB3cD-eF4gH"], ["-u kubeadmin", "https://api.lab-ocp4.example:6443"]),
        new("oc-login-output",
            "Logged into \"https://api.lab-ocp4.example:6443\" as \"kube:admin\" using the token provided.\n+ oc whoami -t\nsha256~Zm9vYmFyLXdob2FtaS10b2tlbi12YWx1ZQ",
            ["sha256~Zm9vYmFyLXdob2FtaS10b2tlbi12YWx1ZQ", "Zm9vYmFyLXdob2FtaS10b2tlbi12YWx1ZQ"],
            ["Logged into \"https://api.lab-ocp4.example:6443\" as \"kube:admin\" using the token provided.", "+ oc whoami -t"]),
        new("url-password", "Cloning into 'repo' from https://deploy:gh-SeCrEt-pw42@git.example.com/ops/repo.git", ["gh-SeCrEt-pw42"], ["https://deploy:", "@git.example.com/ops/repo.git"]),
        new("dockerconfigjson",
            "{\"auths\":{\"quay.io\":{\"auth\":\"b3BlcmF0b3I6cHVsbC1zZWNyZXQtcHc=\",\"email\":\"ops@example.com\"}}}",
            ["b3BlcmF0b3I6cHVsbC1zZWNyZXQtcHc="], ["quay.io", "ops@example.com"]),
        new("dockerconfigjson-base64",
            "  .dockerconfigjson: eyJhdXRocyI6eyJxdWF5LmlvIjp7ImF1dGgiOiJiM0JsY21GMGIzSTZjSGM9In19fQ==\n" +
            "eyJhdXRocyI6eyJxdWF5LmlvIjp7ImF1dGgiOiJiM0JsY21GMGIzSTZjSGM9In19fQ==",
            ["eyJhdXRocyI6eyJxdWF5LmlvIjp7ImF1dGgiOiJiM0JsY21GMGIzSTZjSGM9In19fQ"], [".dockerconfigjson: "]),
        new("kubeconfig",
            "users:\n- name: admin\n  user:\n    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURkekNDQWwrZ0F3SUJBZ0lFQWdBQXVUQU5CZ2txaGtpRzl3MEJBUVVGQURCYQo=\n" +
            "    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVBejlzM2NyM3RSc2FLZXlNYXRlcmlhbAo=\n" +
            "- name: robot\n  user:\n    token: kubeconfig-robot-token-0123456789",
            ["LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVBejlzM2NyM3RSc2FLZXlNYXRlcmlhbAo", "kubeconfig-robot-token-0123456789"],
            ["client-key-data: ", "token: ", "- name: robot"]),
        new("base64-private-key", "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVBejlzM2NyM3RSc2FLZXlNYXRlcmlhbAo=",
            ["LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVBejlzM2NyM3RSc2FLZXlNYXRlcmlhbAo"], []),
        new("not-secret",
            "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----\n+ mkdir -p /var/lib/etcd-backup\nBearer token required\n" +
            "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURkekNDQWwrZ0F3SUJBZ0lFQWdBQXVUQU5CZ2txaGtpRzl3MEJBUVVGQURCYQo=",
            [],
            ["-----BEGIN CERTIFICATE-----", "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa", "+ mkdir -p /var/lib/etcd-backup", "Bearer token required",
             "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURkekNDQWwrZ0F3SUJBZ0lFQWdBQXVUQU5CZ2txaGtpRzl3MEJBUVVGQURCYQo="]),
    ];
}
