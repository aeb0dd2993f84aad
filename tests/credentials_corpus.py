"""A seeded corpus of credentials in code, commands and configs, and of clean snippets.

Every kind has two disjoint template families: ``tune`` (looked at while building the
detector) and ``held`` (other wording and syntax, only measured). A case is the text and
the secret values planted in it; a detector passes a case when every value is covered by
a PRIVATE span. ``clean()`` gives code and config snippets holding no credential.

Placeholders are not secrets: ``***``, ``<password>``, ``${DB_PASS}``, ``{{ secret }}``,
``os.environ[...]``, ``getenv(...)``, ``getpass()``, ``your-password-here``. Literal
defaults such as ``changeme`` or ``admin`` are real credentials wherever they are
deployed, so they appear in neither set.
"""
from __future__ import annotations

import base64
import random
import string
from typing import Callable, NamedTuple


class Case(NamedTuple):
    kind: str
    family: str
    text: str
    secrets: tuple[str, ...]


_SYMBOLS = "!#^*-_.+~"
_URL_SYMBOLS = "-_.~!*"
_WORDS = ["summer", "dragon", "falcon", "orange", "winter", "monkey", "tiger", "silver", "coffee", "rocket",
          "purple", "maple", "harbor", "violet", "cobalt", "ember", "granite", "willow"]


class Gen:
    """Seeded generators of secret values."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def pw(self, symbols: str = _SYMBOLS) -> str:
        """A password: a word with digits and a symbol, or random characters."""
        r = self.r
        if r.random() < 0.35:
            w = r.choice(_WORDS)
            w = w.capitalize() if r.random() < 0.6 else w
            return w + str(r.randint(1, 9999)) + (r.choice(symbols) if symbols and r.random() < 0.7 else "")
        n = r.randint(8, 18)
        chars = [r.choice(string.ascii_letters + string.digits) for _ in range(n)]
        for _ in range(r.randint(0, 2) if symbols else 0):
            chars[r.randrange(1, n)] = r.choice(symbols)
        chars[r.randrange(n)] = r.choice(string.digits)
        return "".join(chars)

    def user(self) -> str:
        return self.r.choice(["root", "admin", "deploy", "svc_app", "jenkins", "backup", "alice", "bob.k",
                              "webapp", "etl", "reporting", "ci-bot"])

    def host(self) -> str:
        return self.r.choice(["db.internal", "10.0.3.17", "localhost", "mysql-primary", "pg.prod.local",
                              "ftp.corp.lan", "mail.example.org", "srv01", "cache-2", "192.168.1.40"])

    def alnum(self, lo: int, hi: int) -> str:
        r = self.r
        return "".join(r.choice(string.ascii_letters + string.digits) for _ in range(r.randint(lo, hi)))

    def hexs(self, n: int) -> str:
        return "".join(self.r.choice("0123456789abcdef") for _ in range(n))

    def token(self) -> str:
        """A token without a provider prefix: hex, alphanumeric or URL-safe base64."""
        r = self.r
        k = r.random()
        if k < 0.33:
            return self.hexs(r.choice([32, 40, 48, 64]))
        if k < 0.66:
            return self.alnum(20, 44)
        return base64.urlsafe_b64encode(bytes(r.randrange(256) for _ in range(r.choice([18, 24, 30])))).decode()

    def b64(self, s: str) -> str:
        return base64.b64encode(s.encode()).decode()

    def app_password(self) -> str:
        return " ".join("".join(self.r.choice(string.ascii_lowercase) for _ in range(4)) for _ in range(4))

    def django_key(self) -> str:
        chars = string.ascii_lowercase + string.digits + "!@#%^&*(-_=+)"
        return "django-insecure-" * (self.r.random() < 0.3) + "".join(self.r.choice(chars) for _ in range(50))

    def db(self) -> str:
        return self.r.choice(["shop", "app", "crm", "analytics", "wp", "inventory", "billing"])


#: A template: builds (text, secrets) from a generator.
Template = Callable[[Gen], tuple[str, tuple[str, ...]]]


def _t(fmt: str, **makers: Callable[[Gen], str]) -> Template:
    """A template from a format string; names in ``secret`` order are the planted values
    (fields named ``s``, ``s2``; others are context)."""
    def build(g: Gen) -> tuple[str, tuple[str, ...]]:
        values = {k: f(g) for k, f in makers.items()}
        return fmt.format(**values), tuple(v for k, v in values.items() if k.startswith("s"))
    return build


P = Gen.pw
U = Gen.user
H = Gen.host
D = Gen.db
T = Gen.token
PU = lambda g: g.pw(_URL_SYMBOLS)                     # noqa: E731  (a password fit for a URL)
PA = lambda g: g.pw("")                               # noqa: E731  (letters and digits only)

TEMPLATES: dict[str, dict[str, list[Template]]] = {
    # a password passed as a positional argument of a database driver
    "positional_db": {
        "tune": [
            _t('$conn = new mysqli("{h}", "{u}", "{s}", "{d}");', h=H, u=U, s=P, d=D),
            _t("$db = mysqli_connect('{h}', '{u}', '{s}', '{d}');", h=H, u=U, s=P, d=D),
            _t('conn = pymysql.connect("{h}", "{u}", "{s}", "{d}")', h=H, u=U, s=P, d=D),
        ],
        "held": [
            _t('Connection c = DriverManager.getConnection("jdbc:mysql://{h}/{d}", "{u}", "{s}");', h=H, d=D, u=U, s=P),
            _t("$pdo = new PDO('mysql:host={h};dbname={d}', '{u}', '{s}');", h=H, d=D, u=U, s=P),
            _t('db = MySQLdb.connect("{h}", "{u}", "{s}", "{d}", charset="utf8")', h=H, u=U, s=P, d=D),
            _t("    link = mysql_connect('{h}', '{u}', '{s}') or die('no db');", h=H, u=U, s=P),
        ],
    },
    # HTTP client credentials in code
    "http_auth_code": {
        "tune": [
            _t('r = requests.get(url, auth=("{u}", "{s}"))', u=U, s=P),
            _t("resp = requests.post(api, json=payload, auth=('{u}', '{s}'), timeout=10)", u=U, s=P),
        ],
        "held": [
            _t('session.auth = HTTPBasicAuth("{u}", "{s}")', u=U, s=P),
            _t("client = httpx.Client(auth=httpx.BasicAuth('{u}', '{s}'))", u=U, s=P),
            _t('s = requests.Session()\ns.auth = ("{u}", "{s}")', u=U, s=P),
            _t("await axios.get(url, {{ auth: {{ username: '{u}', password: '{s}' }} }});", u=U, s=P),
        ],
    },
    # a password in a command line
    "cli_password": {
        "tune": [
            _t("mysql -u{u} -p{s} {d} < dump.sql", u=U, s=PA, d=D),
            _t("sshpass -p '{s}' ssh {u}@{h}", s=P, u=U, h=H),
            _t("docker login -u {u} -p {s} registry.example.com", u=U, s=P),
            _t('ldapsearch -x -D "cn={u},dc=corp,dc=local" -w {s} -b "dc=corp,dc=local"', u=U, s=PA),
            _t("smbclient //{h}/share -U {u}%{s}", h=H, u=U, s=PA),
            _t("curl -u {u}:{s} https://api.example.com/v1/items", u=U, s=PU),
            # added after a probe of unseen syntaxes (so: tuning material)
            _t("redis-cli -h {h} -a {s} ping", h=H, s=PA),
            _t("mongosh --username {u} -p {s}", u=U, s=PA),
            _t("ssh-keygen -t ed25519 -N '{s}' -f key", s=P),
            _t("CREATE USER {u} IDENTIFIED BY '{s}';", u=U, s=P),
            _t("rabbitmqctl add_user {u} {s}", u=U, s=PA),
            _t("$sec = ConvertTo-SecureString '{s}' -AsPlainText -Force", s=P),
            _t("az login -u {u}@example.org -p {s}", u=U, s=PA),
            _t("RUN echo '{s}' | sudo -S apt-get update", s=P),
            # added after a second probe (tuning material too)
            _t('echo "{s}" | docker login --username {u} --password-stdin', s=P, u=U),
            _t("zip -P {s} secret.zip notes.txt", s=PA),
            _t("7z a -p{s} backup.7z data/", s=PA),
            _t("keytool -genkey -alias app -keystore ks.jks -storepass {s}", s=PA),
            _t('Set-ADAccountPassword -Identity {u} -NewPassword (ConvertTo-SecureString -AsPlainText "{s}" -Force)',
               u=U, s=P),
        ],
        "held": [
            _t("mysqldump --user={u} --password={s} {d} > backup.sql", u=U, s=P, d=D),
            _t("sshpass -p{s} scp ./build.tgz {u}@{h}:/tmp/", s=PA, u=U, h=H),
            _t("lftp -u {u},{s} {h}", u=U, s=PA, h=H),
            _t("net use Z: \\\\{h}\\share /user:CORP\\{u} {s}", h=H, u=U, s=PA),
            _t("htpasswd -b /etc/nginx/.htpasswd {u} {s}", u=U, s=PA),
            _t("wget --user={u} --password={s} https://files.example.com/a.zip", u=U, s=P),
            _t("curl --user {u}:{s} -X POST https://ci.example.com/job/build", u=U, s=PU),
            _t("docker login --username {u} --password {s} ghcr.io", u=U, s=P),
            _t("mysqladmin -u {u} -p'{s}' status", u=U, s=P),
            _t("sqlcmd -S {h} -U {u} -P {s} -Q \"SELECT 1\"", h=H, u=U, s=PA),
        ],
    },
    # user:password in a URL
    "url_userinfo": {
        "tune": [
            _t('psql "postgresql://{u}:{s}@{h}/{d}"', u=U, s=PU, h=H, d=D),
            _t("https://{u}:{s}@{h}/repo.git", u=U, s=PU, h=H),
        ],
        "held": [
            _t("git remote add origin https://{u}:{s}@git.example.com/team/app.git", u=U, s=PU),
            _t("BROKER_URL=amqp://{u}:{s}@{h}:5672//", u=U, s=PU, h=H),
            _t("redis-cli -u redis://:{s}@{h}:6379/0 ping", s=PU, h=H),
            _t("mongo 'mongodb+srv://{u}:{s}@cluster0.abcde.mongodb.net/{d}'", u=U, s=PU, d=D),
        ],
    },
    # framework settings files
    "framework_settings": {
        "tune": [
            _t("SECRET_KEY = '{s}'", s=Gen.django_key),
            _t("define('DB_PASSWORD', '{s}');", s=P),
            _t("<server>\n  <id>nexus</id>\n  <username>{u}</username>\n  <password>{s}</password>\n</server>",
               u=U, s=P),
            _t("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  username: {u}\n"
               "  password: {s}", u=lambda g: g.b64(g.user()), s=lambda g: g.b64(g.pw())),
        ],
        "held": [
            _t('app.config["SECRET_KEY"] = "{s}"', s=lambda g: g.alnum(24, 40)),
            _t("define( 'AUTH_KEY', '{s}' );", s=lambda g: g.django_key()),
            _t("spring.datasource.password={s}", s=P),
            _t("<add key=\"DbPassword\" value=\"{s}\" />", s=P),
            _t("data:\n  DB_PASSWORD: {s}\n  API_TOKEN: {s2}", s=lambda g: g.b64(g.pw()),
               s2=lambda g: g.b64(g.token())),
            _t("<connectionStrings><add name=\"db\" connectionString=\"Server={h};Database={d};User Id={u};"
               "Password={s};\" /></connectionStrings>", h=H, d=D, u=U, s=PA),
        ],
    },
    # key = value configs whose key names a secret
    "config_keys": {
        "tune": [
            _t("DB_PASS={s}", s=P),
            _t("client_secret: {s}", s=T),
            _t('{{"token": "{s}", "timeout": 30}}', s=T),
            _t("[database]\nhost = {h}\npasswd = {s}", h=H, s=P),
            _t("private_key = \"{s}\"", s=T),
            _t("export AUTH={s}", s=T),
            _t("env:\n  - name: DB_PASS\n    value: \"{s}\"", s=P),
            _t("os.environ['DB_PASSWORD'] = '{s}'", s=P),
        ],
        "held": [
            _t('db_password = "{s}"\nport = 5432', s=P),
            _t("  pwd: {s}", s=PA),
            _t('"clientSecret": "{s}",', s=T),
            _t("MAIL_PASSWORD='{s}'", s=P),
            _t("secret={s}", s=T),
            _t('credentials = "{s}"', s=T),
            _t("redis:\n  host: {h}\n  auth: {s}", h=H, s=T),
            _t("REFRESH_TOKEN: \"{s}\"", s=T),
            _t("smtp_pass = {s}", s=PA),
        ],
    },
    # HTTP headers carrying a credential without a known prefix
    "http_headers": {
        "tune": [
            _t("Authorization: Bearer {s}", s=T),
            _t("Authorization: Basic {s}", s=lambda g: g.b64(f"{g.user()}:{g.pw()}")),
            _t("X-Api-Key: {s}", s=T),
        ],
        "held": [
            _t('curl -H "X-Auth-Token: {s}" https://api.example.com/v2/me', s=T),
            _t('headers = {{"Authorization": "Token {s}"}}', s=T),
            _t("api-key: {s}", s=T),
            _t('fetch(url, {{ headers: {{ "x-api-key": "{s}" }} }})', s=T),
            _t("curl -H 'Authorization: Bearer {s}' https://svc.local/health", s=T),
        ],
    },
    # login calls of mail, FTP and SSH libraries
    "login_calls": {
        "tune": [
            _t('server.login("me@gmail.com", "{s}")', s=Gen.app_password),
            _t("ftp.login('{u}', '{s}')", u=U, s=P),
            _t('db.auth("{u}", "{s}")', u=U, s=P),
            _t('ssh.connect("{h}", username="{u}", password="{s}")', h=H, u=U, s=P),
        ],
        "held": [
            _t("smtp.login(sender_email, '{s}')", s=Gen.app_password),
            _t('imap.login("{u}@example.org", "{s}")', u=U, s=P),
            _t("client.connect('{h}', 22, '{u}', '{s}')", h=H, u=U, s=P),
            _t("with FTP('{h}') as ftp:\n    ftp.login(user='{u}', passwd='{s}')", h=H, u=U, s=P),
            _t("transport.auth_password('{u}', '{s}')", u=U, s=P),
        ],
    },
    # a random token next to a cue word, in prose
    "cue_token": {
        "tune": [
            _t("token: {s}", s=T),
            _t("the key is {s}", s=T),
            _t("here is my api key {s} please don't share it", s=T),
        ],
        "held": [
            _t("Use this access key for staging -> {s}", s=T),
            _t("my secret for the webhook: {s}", s=T),
            _t("I regenerated the token, new one is {s}.", s=T),
            _t("auth key = {s}", s=T),
        ],
    },
}

N_PER_TEMPLATE = 12


def cases(family: str | None = None, seed: int = 7) -> list[Case]:
    """Every case of every kind (of ``family`` only, when given)."""
    out = []
    for kind, families in TEMPLATES.items():
        for fam, templates in families.items():
            if family is not None and fam != family:
                continue
            for ti, template in enumerate(templates):
                g = Gen(seed * 100003 + sum(map(ord, kind + fam)) * 131 + ti)
                for _ in range(N_PER_TEMPLATE):
                    text, secrets = template(g)
                    out.append(Case(kind, fam, text, secrets))
    return out


# -- snippets without credentials --------------------------------------------------------
_CLEAN_FIXED = [
    # settings about passwords, not passwords
    "password_min_length = 12", "PASSWORD_MIN_LENGTH=12", 'PASSWORD_FIELD = "password"',
    "AUTH_PASSWORD_VALIDATORS = [\n    {'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator'},\n]",
    "password_hash_algorithm: argon2id", "token_expiry_seconds: 3600", "TOKEN_TTL = 900",
    "secret_rotation_days = 90", "max_login_attempts: 5", "auth_backend = 'ldap'",
    "api_key_header: X-Api-Key", "credentials_file: ~/.aws/credentials", "token_type: bearer",
    "password_reset_url: /accounts/reset/", "session_cookie_secure = true",
    # references to secrets kept elsewhere
    'DB_PASSWORD = os.environ["DB_PASSWORD"]', 'password=os.getenv("DB_PASSWORD")',
    "password = getpass.getpass('Password: ')", "pw = getpass()", 'token = os.environ.get("GITHUB_TOKEN")',
    "SECRET_KEY = env('DJANGO_SECRET_KEY')", "secret = config['app']['secret']",
    "password: ${DB_PASS}", "password: {{ db_password }}", "api_key: {{ secret }}", "PASSWORD=***",
    "password: <password>", "token: <your-token>", "password = \"your-password-here\"",
    "DB_PASS=$DB_PASS", "client_secret: ${CLIENT_SECRET}", "auth: ${{ secrets.NPM_TOKEN }}",
    "password: !vault |", "password_file: /run/secrets/db_password", "export TOKEN=$(cat ~/.token)",
    "const password = process.env.DB_PASSWORD;", "String pw = System.getenv(\"DB_PASS\");",
    "$password = $_POST['password'];", "if (password !== confirmPassword) {\n  return false;\n}",
    "user.set_password(form.cleaned_data['password'])", "hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt())",
    "def check(password: str) -> bool:\n    return len(password) >= 12", "password = None",
    "self.password = password", "token = request.headers.get('Authorization')",
    "secret = secrets.token_hex(32)", "key = Fernet.generate_key()", "password: str = Field(min_length=8)",
    "<input type=\"password\" name=\"password\" placeholder=\"Password\">",
    "ssh.connect(host, username=user, password=password)", "server.login(sender, app_password)",
    "ftp.login(user, passwd)", "conn = pymysql.connect(host, user, password, db)",
    "r = requests.get(url, auth=(user, pw))", "mysql -u root -p", "mysql -u root -p mydb < dump.sql",
    "docker login -u $USER --password-stdin < token.txt", "curl -u \"$USER:$PASS\" https://api.example.com",
    "sshpass -p \"$SSHPASS\" ssh host", "psql -h localhost -U postgres -d app",
    "echo $GITHUB_TOKEN | gh auth login --with-token", "Authorization: Bearer $TOKEN",
    "Authorization: Bearer <token>", "headers = {'Authorization': f'Bearer {token}'}", "X-Api-Key: ${API_KEY}",
    "postgresql://localhost:5432/app", "postgresql://user@localhost/app", "redis://cache:6379/0",
    "git clone https://github.com/psf/requests.git", "git clone git@github.com:psf/requests.git",
    "kubectl create secret generic db --from-literal=password=$DB_PASSWORD",
    "kubectl get secrets -n prod", "data:\n  password: {{ .Values.db.password | b64enc }}",
    "apiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: info\n  WORKERS: \"4\"",
    "<password>${env.NEXUS_PASSWORD}</password>", "define('DB_PASSWORD', getenv('DB_PASSWORD'));",
    "SECRET_KEY = get_random_secret_key()", "token = jwt.encode(payload, key, algorithm='HS256')",
    "commit 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39", "sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "request_id = \"5f0c6e1a-2b7d-4c3e-9a8f-1d2e3f4a5b6c\"", "version = \"3.12.1\"", "timeout = 30",
    "retries: 3", "port: 5432", "host: db.internal", "user: postgres", "database: app",
    "The password must be at least 12 characters long and contain a digit.",
    "Reset your password from the account settings page.", "Tokens expire after one hour; refresh them with the refresh endpoint.",
    "Never commit your API key to the repository; use a secrets manager.",
    "PASSWORD_HASHERS = ['django.contrib.auth.hashers.Argon2PasswordHasher']",
    "auth = HTTPBasicAuth(username, password)", "smtp.login(EMAIL_USER, EMAIL_PASS)",
    "client.connect(hostname, port, username, password)", "$conn = new mysqli($servername, $username, $password, $dbname);",
    "Connection c = DriverManager.getConnection(url, user, pass);", "spring.datasource.password=${DB_PASSWORD}",
    "net use Z: \\\\server\\share /user:CORP\\alice *", "htpasswd -c /etc/nginx/.htpasswd alice",
    "smbclient -L //fileserver -U alice", "lftp -u alice sftp://files.example.com", "ldapsearch -x -W -D cn=admin,dc=corp",
    "wget --ask-password --user=alice https://files.example.com/a.zip",
    "ssh-keygen -t ed25519 -C deploy", "openssl rand -base64 32 > secret.key", "vault kv get secret/db",
    "aws configure set region eu-west-1", "gcloud auth application-default login",
    "az login --use-device-code", "mysql --defaults-extra-file=~/.my.cnf app",
    "PGPASSFILE=~/.pgpass psql -h db -U app", "keyring.get_password('svc', 'alice')",
    "token = Token.objects.get(user=request.user)", "api_key = settings.API_KEY",
    "AUTH_USER_MODEL = 'accounts.User'", "LOGIN_REDIRECT_URL = '/dashboard/'",
    "PASSWORD_RESET_TIMEOUT = 259200", "JWT_ALGORITHM = 'RS256'", "OAUTH_SCOPES = ['read', 'write']",
    "secret_name: prod/db/credentials", "token_endpoint: https://auth.example.com/oauth/token",
    "credentials: include", "auth: true", "pwd = os.getcwd()", "cd $(pwd)/build",
]

_CODE = [
    "def fib(n: int) -> int:\n    return n if n < 2 else fib(n - 1) + fib(n - 2)",
    "for i, row in enumerate(rows):\n    total += row['amount']",
    "import numpy as np\nx = np.linspace(0, 1, {n})\ny = np.sin(x)",
    "const sum = (a, b) => a + b;\nconsole.log(sum({n}, 2));",
    "SELECT id, name FROM users WHERE created_at > NOW() - INTERVAL '{n} days';",
    "if err != nil {{\n    return fmt.Errorf(\"read config: %w\", err)\n}}",
    "public static void main(String[] args) {{\n    System.out.println(\"Hello {n}\");\n}}",
    "CREATE INDEX idx_orders_user ON orders(user_id);", "git checkout -b feature/login-form-{n}",
    "docker run -d -p {n}:80 nginx:1.25", "kubectl scale deployment web --replicas={n}",
    "pip install requests=={n}.0", "npm install --save-dev eslint@8", "ssh -i ~/.ssh/id_ed25519 deploy@10.0.0.{n}",
    "curl -X GET https://api.example.com/v1/items?page={n}", "ls -la /var/log | grep nginx",
    "tar -czf backup-{n}.tgz ./data", "chmod 600 ~/.ssh/config", "export PATH=$HOME/.local/bin:$PATH",
    "[server]\nport = {n}\nworkers = 4\nlog_level = info", "cache:\n  ttl: {n}\n  backend: redis",
    "{{\"name\": \"app\", \"version\": \"1.{n}.0\", \"private\": true}}", "[tool.ruff]\nline-length = {n}",
    "max_connections = {n}\nshared_buffers = 256MB", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .",
    "class User(models.Model):\n    email = models.EmailField(unique=True)\n    is_active = models.BooleanField(default=True)",
    "@app.route('/login', methods=['POST'])\ndef login():\n    return render_template('login.html')",
    "resp = requests.get(url, timeout={n})\nresp.raise_for_status()",
    "with open('data.csv') as f:\n    reader = csv.DictReader(f)", "logger.info(\"user %s logged in\", user_id)",
    "key = (row.date, row.region)\ngroups[key].append(row)", "token_count = len(tokenizer.encode(text))",
    "secret_santa = random.sample(people, k={n})", "keys = sorted(d.keys())", "auth_required = True",
    "const token = await getToken();", "password_input.clear()", "passwd_path = '/etc/passwd'",
    "for key, value in settings.items():\n    print(key, value)", "HASH_ROUNDS = {n}",
    "while (i < {n}) {{ i++; }}", "user_password_reset_requested = signal()", "ENABLE_2FA=true",
    "LOG_FORMAT=json\nPORT={n}\nNODE_ENV=production", "retry_backoff: exponential\nmax_retries: {n}",
]


def clean(seed: int = 11) -> list[str]:
    """Code and config snippets without any credential."""
    r = random.Random(seed)
    out = list(_CLEAN_FIXED)
    for snippet in _CODE:
        for _ in range(2):
            out.append(snippet.format(n=r.randint(2, 999)))
    return out
