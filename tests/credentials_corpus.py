"""A seeded corpus of credentials in code, commands and configs, and of clean snippets.

Every kind has two disjoint template families: ``tune`` (looked at while building the
detector) and ``held`` (other wording and syntax, only measured). A case is the text and
the secret values planted in it; a detector passes a case when every value is covered by
a PRIVATE span. ``clean()`` gives code and config snippets holding no credential: the
``tune`` family from :mod:`ptmo_lab.evaluation.code_corpus`, the ``held`` one here.

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

from ptmo_lab.evaluation import code_corpus


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


# -- held-apart snippets without credentials ------------------------------------------
# Written before measuring the detectors on them: other languages, tools and formats
# than ``_CLEAN_FIXED`` and ``_CODE``; only measured, never tuned on.
_CLEAN_HELD = [
    # Rust, Go, C, C++, C#, Java, Kotlin, Swift, Scala, Haskell, Elixir
    "fn main() {\n    let v: Vec<u32> = (1..=10).collect();\n    println!(\"{:?}\", v);\n}",
    "impl Display for Point {\n    fn fmt(&self, f: &mut Formatter) -> fmt::Result {\n        write!(f, \"({}, {})\", self.x, self.y)\n    }\n}",
    "let config = Config::builder().add_source(File::with_name(\"settings\")).build()?;",
    "func (s *Server) Shutdown(ctx context.Context) error {\n\treturn s.http.Shutdown(ctx)\n}",
    "type Claims struct {\n\tSubject string `json:\"sub\"`\n\tExpires int64  `json:\"exp\"`\n}",
    "#include <stdio.h>\nint main(void) {\n    printf(\"%d\\n\", 42);\n    return 0;\n}",
    "std::unordered_map<std::string, int> counts;\nfor (auto& w : words) counts[w]++;",
    "public async Task<IActionResult> Login(LoginModel model)\n{\n    var result = await _signInManager.PasswordSignInAsync(model.Email, model.Password, false, false);\n    return Ok();\n}",
    "services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();",
    "@Value(\"${app.jwt.secret}\")\nprivate String jwtSecret;",
    "Optional<User> user = userRepository.findByUsername(username);",
    "val token = prefs.getString(\"auth_token\", null)",
    "let password = passwordField.text ?? \"\"",
    "guard let url = URL(string: \"https://api.example.com/items\") else { return }",
    "case class Order(id: Long, total: BigDecimal, items: List[Item])",
    "quicksort [] = []\nquicksort (p:xs) = quicksort [x | x <- xs, x < p] ++ [p] ++ quicksort [x | x <- xs, x >= p]",
    "def handle_call(:get, _from, state), do: {:reply, state, state}",
    # Ruby, PHP, Perl, Lua, R, Julia, MATLAB
    "class SessionsController < ApplicationController\n  def create\n    user = User.find_by(email: params[:email])\n  end\nend",
    "Rails.application.credentials.dig(:aws, :secret_access_key)",
    "$hash = password_hash($_POST['pwd'], PASSWORD_DEFAULT);",
    "if (password_verify($input, $row['password_hash'])) { login($row['id']); }",
    "my %seen; my @uniq = grep { !$seen{$_}++ } @list;",
    "local token = redis.call('GET', KEYS[1])\nif not token then return nil end",
    "df <- read.csv(\"sales.csv\")\nsummary(lm(revenue ~ price + region, data = df))",
    "using LinearAlgebra\nA = rand(3, 3)\neigvals(A)",
    "x = linspace(0, 2*pi, 100);\nplot(x, sin(x));",
    # shell and CLI
    "find . -name '*.pyc' -delete", "grep -rn 'TODO' src/ | wc -l",
    "rsync -avz --delete ./site/ deploy@web01:/var/www/site/",
    "journalctl -u nginx --since '1 hour ago'", "systemctl restart postgresql",
    "aws s3 cp ./build s3://my-bucket/ --recursive", "az keyvault secret show --vault-name kv-prod --name db-password",
    "gh secret set NPM_TOKEN < token.txt", "op read op://vault/db/password",
    "pass show work/vpn", "security find-generic-password -s wifi -w",
    "openssl req -new -key server.key -out server.csr", "gpg --decrypt secrets.env.gpg > .env",
    "helm upgrade --install api ./chart --set image.tag=1.4.2",
    "terraform apply -var-file=prod.tfvars", "ansible-vault edit group_vars/all/vault.yml",
    "mongosh \"mongodb://localhost:27017/app\"", "redis-cli -h cache -p 6379 ping",
    "psql \"$DATABASE_URL\" -c 'select 1'", "mysqldump --single-transaction app > app.sql",
    "sudo -u postgres createuser --pwprompt app", "passwd", "chpasswd < users.txt",
    "useradd -m -s /bin/bash deploy", "ssh-copy-id deploy@10.0.0.12",
    "git config --global credential.helper store", "git push origin HEAD --force-with-lease",
    "npm config set //registry.npmjs.org/:_authToken ${NPM_TOKEN}",
    "docker compose --env-file .env.prod up -d", "kubectl describe secret db-creds",
    "curl -H \"Authorization: token $GH_TOKEN\" https://api.github.com/user",
    "http POST :8000/api/login username=$USER password=$PASS",
    # configs: YAML, TOML, INI, .env, JSON, XML, HCL, nginx
    "database:\n  host: ${DB_HOST}\n  port: 5432\n  password: ${DB_PASSWORD}",
    "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db\n        key: password",
    "jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make deploy\n        env:\n          TOKEN: ${{ secrets.DEPLOY_TOKEN }}",
    "spring:\n  datasource:\n    url: jdbc:postgresql://db:5432/app\n    username: app\n    password: ${SPRING_DATASOURCE_PASSWORD}",
    "[database]\nhost = \"localhost\"\nport = 5432\npool_size = 10",
    "[mysqld]\nbind-address = 127.0.0.1\nmax_connections = 200",
    "[auth]\nmethod = oauth2\ntoken_url = https://auth.example.com/token",
    "DATABASE_URL=postgres://localhost/app_dev\nREDIS_URL=redis://localhost:6379\nDEBUG=true",
    "SECRET_KEY=\nAPI_KEY=\nDB_PASSWORD=",
    "API_TOKEN=<paste your token here>", "PASSWORD=xxxxxxxx",
    "{\n  \"type\": \"service_account\",\n  \"project_id\": \"my-project\",\n  \"private_key\": \"<redacted>\"\n}",
    "{\"access_token\": \"\", \"token_type\": \"Bearer\", \"expires_in\": 3600}",
    "{\"error\": \"invalid_grant\", \"error_description\": \"Bad credentials\"}",
    "\"scripts\": {\n  \"build\": \"tsc -p .\",\n  \"test\": \"jest --coverage\"\n}",
    "<dependency>\n  <groupId>org.postgresql</groupId>\n  <artifactId>postgresql</artifactId>\n  <version>42.7.3</version>\n</dependency>",
    "<server>\n  <id>nexus</id>\n  <username>${env.NEXUS_USER}</username>\n  <password>${env.NEXUS_PASS}</password>\n</server>",
    "<add key=\"ConnectionTimeout\" value=\"30\" />",
    "<connectionStrings>\n  <add name=\"Default\" connectionString=\"Server=.;Database=App;Trusted_Connection=True;\" />\n</connectionStrings>",
    "resource \"aws_db_instance\" \"main\" {\n  engine   = \"postgres\"\n  password = var.db_password\n}",
    "variable \"db_password\" {\n  type      = string\n  sensitive = true\n}",
    "server {\n    listen 443 ssl;\n    ssl_certificate /etc/ssl/certs/site.pem;\n    ssl_certificate_key /etc/ssl/private/site.key;\n}",
    "location /api/ {\n    proxy_pass http://backend:8080;\n    proxy_set_header Authorization $http_authorization;\n}",
    "[Unit]\nDescription=Web API\n[Service]\nEnvironmentFile=/etc/api/env\nExecStart=/usr/bin/api",
    "Host bastion\n  HostName 203.0.113.10\n  User ubuntu\n  IdentityFile ~/.ssh/bastion.pem",
    "machine api.example.com login $USER password $PASS",
    "requests==2.32.3\nurllib3>=2.2\ncryptography~=43.0",
    "[package]\nname = \"vault-cli\"\nversion = \"0.3.1\"\nedition = \"2021\"",
    "FROM node:20-alpine\nARG NPM_TOKEN\nRUN npm ci --omit=dev",
    "ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1",
    "all: build\nbuild:\n\tgo build -o bin/app ./cmd/app",
    # SQL, regex, CSS, HTML, LaTeX
    "UPDATE users SET password_hash = crypt($1, gen_salt('bf')) WHERE id = $2;",
    "CREATE TABLE api_keys (id serial primary key, key_hash text not null, revoked boolean default false);",
    "SELECT COUNT(*) FROM sessions WHERE expires_at < now();",
    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO readonly;",
    "^(?=.*[A-Z])(?=.*\\d)[A-Za-z\\d@$!%*?&]{8,}$",
    "r'(?P<user>[^:]+):(?P<password>[^@]+)@(?P<host>.+)'",
    ".login-form input[type=password] { border: 1px solid #ccc; }",
    "<form method=\"post\" action=\"/login\">\n  <input name=\"username\">\n  <input name=\"password\" type=\"password\">\n</form>",
    "<meta name=\"csrf-token\" content=\"{{ csrf_token() }}\">",
    "\\begin{equation}\n  E = mc^2\n\\end{equation}",
    # logs, errors, stack traces
    "2024-05-02T10:14:07Z INFO  auth: login succeeded for user_id=4812",
    "WARN  [pool-3-thread-1] HikariPool-1 - Connection is not available, request timed out after 30000ms.",
    "ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)",
    "psql: error: FATAL:  password authentication failed for user \"postgres\"",
    "Traceback (most recent call last):\n  File \"app.py\", line 12, in <module>\n    main()\nKeyError: 'SECRET_KEY'",
    "java.lang.NullPointerException\n\tat com.example.auth.TokenService.verify(TokenService.java:57)",
    "npm ERR! code E401\nnpm ERR! Unable to authenticate, need: BASIC realm=\"Sonatype Nexus Repository Manager\"",
    "fatal: Authentication failed for 'https://github.com/org/repo.git/'",
    "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\"",
    "Permission denied (publickey,password).",
    # test code and fixtures with obvious dummies
    "it('rejects a short password', () => {\n  expect(validate('abc')).toBe(false);\n});",
    "assert hash_password('') is None",
    "mock_client.get_secret_value.return_value = {'SecretString': '{}'}",
    "@pytest.fixture\ndef token():\n    return make_token(user_id=1, ttl=60)",
    # questions about code
    "Why does my Flask app log 'The session is unavailable because no secret key was set'?",
    "How do I read a password from stdin in Go without echoing it?",
    "What's the difference between OAuth access tokens and refresh tokens?",
    "Should API keys go in headers or query parameters?",
    "How do I rotate the JWT signing key without logging everyone out?",
    "Is bcrypt or argon2 better for hashing passwords in 2024?",
    "How do I make kubectl read a secret from a file instead of the command line?",
    "My Docker build leaks ARG values into the image history; how do I avoid that?",
    "Explain what `git credential-cache` does.",
    "How can I check if my .env file was committed to git history?",
    # math and data
    "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2, 3], 'b': [4, 5, 6]})\nprint(df.describe())",
    "model = torch.nn.Linear(128, 10)\noptimizer = torch.optim.Adam(model.parameters(), lr=3e-4)",
    "loss = F.cross_entropy(logits, labels, label_smoothing=0.1)",
    "np.random.seed(0)\nA = np.random.randn(4, 4)\nprint(np.linalg.det(A))",
    "fig, ax = plt.subplots(figsize=(8, 4))\nax.plot(t, y, label='signal')",
    "sha1sum release.tar.gz\nda39a3ee5e6b4b0d3255bfef95601890afd80709  release.tar.gz",
    "uuid: 123e4567-e89b-12d3-a456-426614174000",
    "color: #1e90ff; background: rgba(0, 0, 0, 0.4);",
    "base64.b64encode(b'hello world')  # aGVsbG8gd29ybGQ=",
    "etag: \"33a64df551425fcc55e4d42a148795d9f25f89d4\"",
]


def clean(family: str = "tune") -> list[str]:
    """Code and config snippets without any credential, of one family.

    ``tune`` was looked at while adjusting the detectors (and the unit judge trains on
    it); ``held`` only measured.
    """
    if family == "held":
        return list(_CLEAN_HELD)
    if family != "tune":
        raise ValueError(f"unknown family {family!r}: 'tune' or 'held'")
    return code_corpus.snippets()
