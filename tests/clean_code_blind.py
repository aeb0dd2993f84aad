"""Code, configs, logs and developer questions that hold no credential and no personal data, written without looking at the detectors; only measured."""
from __future__ import annotations

SNIPPETS: tuple[str, ...] = (
    (
        "import os\n"
        "import boto3\n"
        "\n"
        "s3 = boto3.client(\"s3\", region_name=os.environ[\"AWS_REGION\"])\n"
        "resp = s3.list_objects_v2(Bucket=\"build-artifacts\", Prefix=\"releases/\")\n"
        "for obj in resp.get(\"Contents\", []):\n"
        "    print(obj[\"Key\"], obj[\"Size\"])"
    ),
    (
        "DATABASES = {\n"
        "    \"default\": {\n"
        "        \"ENGINE\": \"django.db.backends.postgresql\",\n"
        "        \"NAME\": os.getenv(\"DB_NAME\", \"app\"),\n"
        "        \"USER\": os.getenv(\"DB_USER\"),\n"
        "        \"PASSWORD\": os.getenv(\"DB_PASSWORD\"),\n"
        "        \"HOST\": os.getenv(\"DB_HOST\", \"localhost\"),\n"
        "        \"PORT\": 5432,\n"
        "    }\n"
        "}"
    ),
    (
        "from argon2 import PasswordHasher\n"
        "from argon2.exceptions import VerifyMismatchError\n"
        "\n"
        "ph = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4)\n"
        "\n"
        "def check_password(stored_hash: str, candidate: str) -> bool:\n"
        "    try:\n"
        "        return ph.verify(stored_hash, candidate)\n"
        "    except VerifyMismatchError:\n"
        "        return False"
    ),
    (
        "from fastapi import Depends, FastAPI\n"
        "from fastapi.security import OAuth2PasswordBearer\n"
        "\n"
        "app = FastAPI()\n"
        "oauth2_scheme = OAuth2PasswordBearer(tokenUrl=\"token\")\n"
        "\n"
        "@app.get(\"/items/\")\n"
        "async def read_items(token: str = Depends(oauth2_scheme)):\n"
        "    return {\"token_present\": bool(token)}"
    ),
    (
        "import os\n"
        "import requests\n"
        "\n"
        "headers = {\"Authorization\": f\"Bearer {os.environ['API_TOKEN']}\"}\n"
        "r = requests.get(\"https://api.example.com/v1/projects\", headers=headers, timeout=10)\n"
        "r.raise_for_status()"
    ),
    (
        "import secrets\n"
        "\n"
        "def new_reset_token(nbytes: int = 32) -> str:\n"
        "    \"\"\"Return a URL-safe token for the password reset link.\"\"\"\n"
        "    return secrets.token_urlsafe(nbytes)"
    ),
    (
        "import jwt\n"
        "\n"
        "def decode_access_token(token: str, public_key: str) -> dict:\n"
        "    return jwt.decode(token, public_key, algorithms=[\"RS256\"], audience=\"api://orders\")"
    ),
    (
        "Traceback (most recent call last):\n"
        "  File \"/app/manage.py\", line 22, in <module>\n"
        "    main()\n"
        "  File \"/app/config/settings.py\", line 41, in <module>\n"
        "    SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n"
        "  File \"/usr/lib/python3.12/os.py\", line 685, in __getitem__\n"
        "    raise KeyError(key) from None\n"
        "KeyError: 'DJANGO_SECRET_KEY'"
    ),
    (
        "Traceback (most recent call last):\n"
        "  File \"/srv/worker/tasks.py\", line 3, in <module>\n"
        "    from celery.schedules import crontab\n"
        "ModuleNotFoundError: No module named 'celery'"
    ),
    (
        "import pandas as pd\n"
        "\n"
        "df = pd.read_csv(\"events.csv\", parse_dates=[\"created_at\"])\n"
        "daily = (\n"
        "    df.set_index(\"created_at\")\n"
        "      .groupby(\"event_type\")\n"
        "      .resample(\"D\")[\"session_id\"]\n"
        "      .nunique()\n"
        ")\n"
        "print(daily.tail(10))"
    ),
    (
        "import numpy as np\n"
        "\n"
        "rng = np.random.default_rng(seed=42)\n"
        "x = rng.normal(size=(1000, 3))\n"
        "cov = np.cov(x, rowvar=False)\n"
        "eigvals, eigvecs = np.linalg.eigh(cov)\n"
        "print(eigvals.round(3))"
    ),
    (
        "import torch\n"
        "import torch.nn as nn\n"
        "\n"
        "model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))\n"
        "optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)\n"
        "loss_fn = nn.CrossEntropyLoss()\n"
        "for xb, yb in train_loader:\n"
        "    optimizer.zero_grad()\n"
        "    loss = loss_fn(model(xb), yb)\n"
        "    loss.backward()\n"
        "    optimizer.step()"
    ),
    "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.15 GiB total capacity; 74.02 GiB already allocated; 1.12 GiB free; 76.40 GiB reserved in total by PyTorch)",
    (
        "from dataclasses import dataclass, field\n"
        "\n"
        "@dataclass\n"
        "class ConnectionSettings:\n"
        "    host: str = \"localhost\"\n"
        "    port: int = 6379\n"
        "    password: str | None = field(default=None, repr=False)\n"
        "    use_tls: bool = False"
    ),
    (
        "src/billing/invoice.py:57: error: Argument 1 to \"apply_discount\" has incompatible type \"Optional[Decimal]\"; expected \"Decimal\"  [arg-type]\n"
        "src/billing/invoice.py:88: error: Item \"None\" of \"Optional[Customer]\" has no attribute \"tier\"  [union-attr]\n"
        "Found 2 errors in 1 file (checked 143 source files)"
    ),
    (
        "import hvac\n"
        "\n"
        "client = hvac.Client(url=\"https://vault.internal:8200\")\n"
        "with open(\"/var/run/secrets/kubernetes.io/serviceaccount/token\") as fh:\n"
        "    client.auth.kubernetes.login(role=\"payments-api\", jwt=fh.read())\n"
        "secret = client.secrets.kv.v2.read_secret_version(path=\"payments/db\")\n"
        "db_password = secret[\"data\"][\"data\"][\"password\"]"
    ),
    (
        "import asyncio\n"
        "import aiohttp\n"
        "\n"
        "async def fetch_all(urls):\n"
        "    async with aiohttp.ClientSession() as session:\n"
        "        tasks = [session.get(u, timeout=aiohttp.ClientTimeout(total=10)) for u in urls]\n"
        "        responses = await asyncio.gather(*tasks, return_exceptions=True)\n"
        "    return [r.status if not isinstance(r, Exception) else None for r in responses]"
    ),
    (
        "import re\n"
        "\n"
        "SEMVER = re.compile(r\"^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-([0-9A-Za-z.-]+))?$\")\n"
        "assert SEMVER.match(\"2.14.0-rc.1\")"
    ),
    (
        "from pydantic import SecretStr\n"
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n"
        "\n"
        "class Settings(BaseSettings):\n"
        "    model_config = SettingsConfigDict(env_file=\".env\", env_prefix=\"APP_\")\n"
        "    database_url: str\n"
        "    stripe_api_key: SecretStr\n"
        "    webhook_signing_secret: SecretStr\n"
        "    debug: bool = False"
    ),
    (
        "app = Flask(__name__)\n"
        "app.config.update(\n"
        "    SECRET_KEY=os.environ[\"FLASK_SECRET_KEY\"],\n"
        "    SESSION_COOKIE_SECURE=True,\n"
        "    SESSION_COOKIE_HTTPONLY=True,\n"
        "    SESSION_COOKIE_SAMESITE=\"Lax\",\n"
        ")"
    ),
    (
        "from cryptography.fernet import Fernet\n"
        "\n"
        "def encrypt_field(value: str) -> bytes:\n"
        "    key = os.environ[\"FIELD_ENCRYPTION_KEY\"].encode()\n"
        "    return Fernet(key).encrypt(value.encode())"
    ),
    (
        "sqlalchemy.exc.OperationalError: (psycopg.OperationalError) connection failed: FATAL:  password authentication failed for user \"app\"\n"
        "(Background on this error at: https://sqlalche.me/e/20/e3q8)"
    ),
    (
        "class RedactSecretsFilter(logging.Filter):\n"
        "    PATTERN = re.compile(r\"(authorization|password|token)=\\S+\", re.IGNORECASE)\n"
        "\n"
        "    def filter(self, record: logging.LogRecord) -> bool:\n"
        "        record.msg = self.PATTERN.sub(r\"\\1=***\", str(record.msg))\n"
        "        return True"
    ),
    (
        "from sklearn.model_selection import train_test_split\n"
        "from sklearn.ensemble import GradientBoostingClassifier\n"
        "from sklearn.metrics import classification_report\n"
        "\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)\n"
        "clf = GradientBoostingClassifier(n_estimators=300, max_depth=3).fit(X_train, y_train)\n"
        "print(classification_report(y_test, clf.predict(X_test)))"
    ),
    (
        "from transformers import AutoTokenizer, AutoModelForSequenceClassification\n"
        "\n"
        "tok = AutoTokenizer.from_pretrained(\"distilbert-base-uncased\", token=os.getenv(\"HF_TOKEN\"))\n"
        "model = AutoModelForSequenceClassification.from_pretrained(\"distilbert-base-uncased\", num_labels=2)\n"
        "batch = tok([\"the build is green\", \"the deploy failed\"], padding=True, return_tensors=\"pt\")\n"
        "logits = model(**batch).logits"
    ),
    (
        "ERROR: Could not find a version that satisfies the requirement torch==2.3.0+cu121 (from versions: 2.2.0, 2.2.1, 2.2.2, 2.3.0)\n"
        "ERROR: No matching distribution found for torch==2.3.0+cu121"
    ),
    "requests.exceptions.SSLError: HTTPSConnectionPool(host='artifacts.internal', port=443): Max retries exceeded with url: /api/pypi/simple/ (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)')))",
    (
        "Traceback (most recent call last):\n"
        "  File \"/app/jobs/export.py\", line 17, in <module>\n"
        "    s3.upload_file(path, \"exports-prod\", key)\n"
        "  File \"/usr/local/lib/python3.11/site-packages/botocore/auth.py\", line 418, in add_auth\n"
        "    raise NoCredentialsError()\n"
        "botocore.exceptions.NoCredentialsError: Unable to locate credentials"
    ),
    "google.auth.exceptions.DefaultCredentialsError: Your default credentials were not found. To set up Application Default Credentials, see https://cloud.google.com/docs/authentication/external/set-up-adc for more information.",
    (
        "In [3]: df.describe()\n"
        "Out[3]:\n"
        "          latency_ms         status\n"
        "count  120000.000000  120000.000000\n"
        "mean       84.213004     201.774500\n"
        "std        41.902118      12.009771\n"
        "min         3.000000     200.000000\n"
        "max       998.000000     503.000000"
    ),
    (
        "%load_ext autoreload\n"
        "%autoreload 2\n"
        "%matplotlib inline\n"
        "import matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots(figsize=(8, 4))\n"
        "ax.plot(history[\"loss\"], label=\"train\")\n"
        "ax.plot(history[\"val_loss\"], label=\"val\")\n"
        "ax.legend(); ax.set_xlabel(\"epoch\")"
    ),
    (
        "import type { Request, Response, NextFunction } from \"express\";\n"
        "\n"
        "export function requireAuth(req: Request, res: Response, next: NextFunction) {\n"
        "  const header = req.headers.authorization ?? \"\";\n"
        "  if (!header.startsWith(\"Bearer \")) {\n"
        "    return res.status(401).json({ error: \"missing_token\" });\n"
        "  }\n"
        "  next();\n"
        "}"
    ),
    (
        "const config = {\n"
        "  port: Number(process.env.PORT ?? 3000),\n"
        "  databaseUrl: process.env.DATABASE_URL!,\n"
        "  jwtSecret: process.env.JWT_SECRET!,\n"
        "  corsOrigins: (process.env.CORS_ORIGINS ?? \"http://localhost:5173\").split(\",\"),\n"
        "};\n"
        "export default config;"
    ),
    (
        "export function LoginForm({ onSubmit }) {\n"
        "  const [password, setPassword] = useState(\"\");\n"
        "  return (\n"
        "    <form onSubmit={(e) => { e.preventDefault(); onSubmit(password); }}>\n"
        "      <input type=\"password\" autoComplete=\"current-password\" value={password} onChange={(e) => setPassword(e.target.value)} />\n"
        "      <button type=\"submit\">Sign in</button>\n"
        "    </form>\n"
        "  );\n"
        "}"
    ),
    (
        "TypeError: Cannot read properties of undefined (reading 'refreshToken')\n"
        "    at AuthService.rotate (/app/dist/services/auth.service.js:88:34)\n"
        "    at async TokenController.refresh (/app/dist/controllers/token.controller.js:41:22)\n"
        "    at async /app/node_modules/@nestjs/core/router/router-proxy.js:9:17"
    ),
    (
        "{\n"
        "  \"name\": \"@acme/web-dashboard\",\n"
        "  \"version\": \"3.8.1\",\n"
        "  \"private\": true,\n"
        "  \"scripts\": {\n"
        "    \"dev\": \"vite\",\n"
        "    \"build\": \"tsc -b && vite build\",\n"
        "    \"test\": \"vitest run\"\n"
        "  },\n"
        "  \"dependencies\": { \"react\": \"^18.3.1\", \"react-dom\": \"^18.3.1\" }\n"
        "}"
    ),
    (
        "{\n"
        "  \"compilerOptions\": {\n"
        "    \"target\": \"ES2022\",\n"
        "    \"module\": \"NodeNext\",\n"
        "    \"moduleResolution\": \"NodeNext\",\n"
        "    \"strict\": true,\n"
        "    \"outDir\": \"dist\",\n"
        "    \"skipLibCheck\": true\n"
        "  },\n"
        "  \"include\": [\"src/**/*\"]\n"
        "}"
    ),
    (
        "src/auth/session.ts:42:7 - error TS2322: Type 'string | undefined' is not assignable to type 'string'.\n"
        "  Type 'undefined' is not assignable to type 'string'.\n"
        "\n"
        "42       sessionSecret: process.env.SESSION_SECRET,\n"
        "         ~~~~~~~~~~~~~\n"
        "\n"
        "Found 1 error in src/auth/session.ts:42"
    ),
    (
        "const res = await fetch(\"https://api.example.com/v1/orders?status=open\", {\n"
        "  headers: { Authorization: `Bearer ${await getAccessToken()}`, Accept: \"application/json\" },\n"
        "});\n"
        "if (!res.ok) throw new Error(`orders request failed: ${res.status}`);\n"
        "const orders = await res.json();"
    ),
    (
        "node:internal/modules/esm/resolve:853\n"
        "  throw new ERR_MODULE_NOT_FOUND(packageName, fileURLToPath(base), null);\n"
        "        ^\n"
        "\n"
        "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'dotenv' imported from /srv/app/src/index.js\n"
        "    at packageResolve (node:internal/modules/esm/resolve:853:9)\n"
        "  code: 'ERR_MODULE_NOT_FOUND'\n"
        "\n"
        "Node.js v20.11.1"
    ),
    (
        "describe(\"PasswordPolicy\", () => {\n"
        "  it(\"rejects passwords shorter than 12 characters\", () => {\n"
        "    expect(validatePassword(\"x\".repeat(8)).ok).toBe(false);\n"
        "  });\n"
        "  it(\"requires at least one digit\", () => {\n"
        "    expect(validatePassword(\"x\".repeat(16)).reason).toBe(\"missing_digit\");\n"
        "  });\n"
        "});"
    ),
    (
        "import { z } from \"zod\";\n"
        "\n"
        "const Env = z.object({\n"
        "  NODE_ENV: z.enum([\"development\", \"test\", \"production\"]),\n"
        "  NEXTAUTH_URL: z.string().url(),\n"
        "  NEXTAUTH_SECRET: z.string().min(32),\n"
        "  GITHUB_CLIENT_ID: z.string(),\n"
        "  GITHUB_CLIENT_SECRET: z.string(),\n"
        "});\n"
        "export const env = Env.parse(process.env);"
    ),
    (
        "@Injectable()\n"
        "export class ApiKeyGuard implements CanActivate {\n"
        "  constructor(private readonly keys: ApiKeyRepository) {}\n"
        "\n"
        "  async canActivate(ctx: ExecutionContext): Promise<boolean> {\n"
        "    const req = ctx.switchToHttp().getRequest<Request>();\n"
        "    const presented = req.header(\"x-api-key\");\n"
        "    return presented ? this.keys.isValid(presented) : false;\n"
        "  }\n"
        "}"
    ),
    (
        "<template>\n"
        "  <button :disabled=\"loading\" @click=\"logout\">Sign out</button>\n"
        "</template>\n"
        "<script setup lang=\"ts\">\n"
        "import { ref } from \"vue\";\n"
        "import { useAuthStore } from \"@/stores/auth\";\n"
        "const loading = ref(false);\n"
        "const auth = useAuthStore();\n"
        "async function logout() { loading.value = true; await auth.revokeSession(); }\n"
        "</script>"
    ),
    (
        "import { defineConfig, loadEnv } from \"vite\";\n"
        "import react from \"@vitejs/plugin-react\";\n"
        "\n"
        "export default defineConfig(({ mode }) => {\n"
        "  const env = loadEnv(mode, process.cwd(), \"VITE_\");\n"
        "  return {\n"
        "    plugins: [react()],\n"
        "    server: { port: 5173, proxy: { \"/api\": env.VITE_API_ORIGIN ?? \"http://localhost:8080\" } },\n"
        "  };\n"
        "});"
    ),
    (
        "/app/src/auth/storage.ts\n"
        "  12:3   error  Unexpected console statement                       no-console\n"
        "  27:10  error  'refreshToken' is assigned a value but never used  @typescript-eslint/no-unused-vars\n"
        "\n"
        "✖ 2 problems (2 errors, 0 warnings)"
    ),
    (
        "# npm audit report\n"
        "\n"
        "jsonwebtoken  <=8.5.1\n"
        "Severity: high\n"
        "jsonwebtoken unrestricted key type could lead to legacy keys usage - https://github.com/advisories/GHSA-8cf7-32gw-wr33\n"
        "fix available via `npm audit fix --force`\n"
        "Will install jsonwebtoken@9.0.2, which is a breaking change"
    ),
    (
        "@Configuration\n"
        "@EnableWebSecurity\n"
        "public class SecurityConfig {\n"
        "    @Bean\n"
        "    public PasswordEncoder passwordEncoder() {\n"
        "        return new BCryptPasswordEncoder(12);\n"
        "    }\n"
        "}"
    ),
    (
        "Exception in thread \"main\" java.lang.NullPointerException: Cannot invoke \"com.acme.billing.TokenStore.lookup(String)\" because \"this.tokenStore\" is null\n"
        "\tat com.acme.billing.InvoiceService.authorize(InvoiceService.java:73)\n"
        "\tat com.acme.billing.InvoiceService.create(InvoiceService.java:41)\n"
        "\tat com.acme.billing.App.main(App.java:18)"
    ),
    (
        "spring:\n"
        "  datasource:\n"
        "    url: jdbc:postgresql://db:5432/orders\n"
        "    username: ${DB_USER}\n"
        "    password: ${DB_PASSWORD}\n"
        "  jpa:\n"
        "    hibernate:\n"
        "      ddl-auto: validate\n"
        "server:\n"
        "  port: 8080"
    ),
    (
        "<dependency>\n"
        "  <groupId>org.springframework.boot</groupId>\n"
        "  <artifactId>spring-boot-starter-oauth2-resource-server</artifactId>\n"
        "  <version>3.2.5</version>\n"
        "</dependency>"
    ),
    (
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.11.0:compile (default-compile) on project inventory-service: Compilation failure\n"
        "[ERROR] /build/src/main/java/com/acme/inventory/StockRepository.java:[27,16] cannot find symbol\n"
        "[ERROR]   symbol:   class Optional\n"
        "[ERROR]   location: interface com.acme.inventory.StockRepository"
    ),
    (
        "public record ApiKeyMetadata(String keyId, Instant createdAt, Set<String> scopes) {}\n"
        "\n"
        "List<String> expired = keys.stream()\n"
        "    .filter(k -> k.createdAt().isBefore(Instant.now().minus(Duration.ofDays(90))))\n"
        "    .map(ApiKeyMetadata::keyId)\n"
        "    .toList();"
    ),
    (
        "@Service\n"
        "public class PaymentGatewayClient {\n"
        "    private final String apiKey;\n"
        "\n"
        "    public PaymentGatewayClient(@Value(\"${payments.gateway.api-key}\") String apiKey) {\n"
        "        this.apiKey = apiKey;\n"
        "    }\n"
        "}"
    ),
    (
        "@Test\n"
        "void rejectsReusedRefreshToken() {\n"
        "    var first = tokenService.refresh(seedRefreshToken);\n"
        "    assertThrows(TokenReuseDetectedException.class, () -> tokenService.refresh(seedRefreshToken));\n"
        "    assertThat(first.accessToken()).isNotBlank();\n"
        "}"
    ),
    (
        "import org.springframework.security.oauth2.jwt.JwtDecoder;\n"
        "import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;\n"
        "import org.springframework.security.config.annotation.web.builders.HttpSecurity;\n"
        "import com.fasterxml.jackson.databind.ObjectMapper;\n"
        "import io.micrometer.core.instrument.MeterRegistry;"
    ),
    (
        "spring.security.oauth2.client.registration.github.client-id=${GITHUB_CLIENT_ID}\n"
        "spring.security.oauth2.client.registration.github.client-secret=${GITHUB_CLIENT_SECRET}\n"
        "management.endpoints.web.exposure.include=health,info,prometheus"
    ),
    (
        "data class TokenResponse(\n"
        "    @SerialName(\"access_token\") val accessToken: String,\n"
        "    @SerialName(\"expires_in\") val expiresIn: Long,\n"
        "    @SerialName(\"token_type\") val tokenType: String = \"Bearer\",\n"
        ")"
    ),
    (
        "plugins {\n"
        "    kotlin(\"jvm\") version \"1.9.24\"\n"
        "    id(\"org.springframework.boot\") version \"3.2.5\"\n"
        "}\n"
        "\n"
        "dependencies {\n"
        "    implementation(\"io.ktor:ktor-server-auth-jwt:2.3.11\")\n"
        "    testImplementation(kotlin(\"test\"))\n"
        "}"
    ),
    (
        "suspend fun refreshIfExpired(session: Session): Session = withContext(Dispatchers.IO) {\n"
        "    if (session.expiresAt > Clock.System.now()) session\n"
        "    else authApi.refresh(session.refreshToken).toSession()\n"
        "}"
    ),
    (
        "e: file:///src/app/src/main/java/com/acme/wallet/auth/BiometricGate.kt:31:9 Unresolved reference: BiometricPrompt\n"
        "\n"
        "FAILURE: Build failed with an exception.\n"
        "\n"
        "* What went wrong:\n"
        "Execution failed for task ':app:compileDebugKotlin'."
    ),
    (
        "func LoadConfig() (*Config, error) {\n"
        "\ttoken := os.Getenv(\"GITHUB_TOKEN\")\n"
        "\tif token == \"\" {\n"
        "\t\treturn nil, errors.New(\"GITHUB_TOKEN is not set\")\n"
        "\t}\n"
        "\treturn &Config{Token: token, BaseURL: \"https://api.github.com\"}, nil\n"
        "}"
    ),
    (
        "panic: runtime error: invalid memory address or nil pointer dereference\n"
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6b2f1a]\n"
        "\n"
        "goroutine 1 [running]:\n"
        "main.(*Server).handleLogin(0x0, {0x7f1c2a0, 0xc0001a6000}, 0xc0001b2000)\n"
        "\t/src/cmd/api/login.go:57 +0x3a\n"
        "net/http.HandlerFunc.ServeHTTP(...)"
    ),
    (
        "# github.com/acme/ledger/internal/auth\n"
        "internal/auth/jwt.go:34:9: cannot use claims (variable of type *Claims) as jwt.Claims value in return statement: *Claims does not implement jwt.Claims (missing method GetAudience)\n"
        "internal/auth/jwt.go:51:2: declared and not used: signingKey"
    ),
    (
        "func hashPassword(plain string) (string, error) {\n"
        "\tb, err := bcrypt.GenerateFromPassword([]byte(plain), bcrypt.DefaultCost)\n"
        "\tif err != nil {\n"
        "\t\treturn \"\", fmt.Errorf(\"hash password: %w\", err)\n"
        "\t}\n"
        "\treturn string(b), nil\n"
        "}"
    ),
    (
        "module github.com/acme/ledger\n"
        "\n"
        "go 1.22\n"
        "\n"
        "require (\n"
        "\tgithub.com/golang-jwt/jwt/v5 v5.2.1\n"
        "\tgithub.com/lib/pq v1.10.9\n"
        "\tgolang.org/x/crypto v0.23.0\n"
        ")"
    ),
    (
        "func TestVerifyToken_Expired(t *testing.T) {\n"
        "\ttok := mustSign(t, Claims{ExpiresAt: time.Now().Add(-time.Minute)})\n"
        "\t_, err := VerifyToken(tok, testKey)\n"
        "\tif !errors.Is(err, ErrTokenExpired) {\n"
        "\t\tt.Fatalf(\"want ErrTokenExpired, got %v\", err)\n"
        "\t}\n"
        "}"
    ),
    (
        "--- FAIL: TestLoginHandler/wrong_password (0.00s)\n"
        "    login_test.go:88: status = 500, want 401\n"
        "FAIL\n"
        "FAIL\tgithub.com/acme/ledger/internal/api\t0.412s"
    ),
    (
        "use std::env;\n"
        "\n"
        "fn database_url() -> Result<String, env::VarError> {\n"
        "    env::var(\"DATABASE_URL\")\n"
        "}"
    ),
    (
        "error[E0382]: borrow of moved value: `token`\n"
        "  --> src/auth.rs:28:20\n"
        "   |\n"
        "24 |     let token = issue_token(&claims)?;\n"
        "   |         ----- move occurs because `token` has type `String`, which does not implement the `Copy` trait\n"
        "25 |     store.insert(user_id, token);\n"
        "   |                           ----- value moved here\n"
        "...\n"
        "28 |     Ok(Response::new(token.len()))\n"
        "   |                      ^^^^^ value borrowed here after move"
    ),
    (
        "[package]\n"
        "name = \"edge-proxy\"\n"
        "version = \"0.4.2\"\n"
        "edition = \"2021\"\n"
        "\n"
        "[dependencies]\n"
        "tokio = { version = \"1.37\", features = [\"full\"] }\n"
        "axum = \"0.7\"\n"
        "serde = { version = \"1\", features = [\"derive\"] }\n"
        "argon2 = \"0.5\""
    ),
    (
        "thread 'main' panicked at src/config.rs:19:44:\n"
        "called `Result::unwrap()` on an `Err` value: NotPresent\n"
        "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace"
    ),
    (
        "async fn whoami(TypedHeader(auth): TypedHeader<Authorization<Bearer>>) -> impl IntoResponse {\n"
        "    match verify(auth.token()) {\n"
        "        Ok(claims) => Json(claims).into_response(),\n"
        "        Err(_) => StatusCode::UNAUTHORIZED.into_response(),\n"
        "    }\n"
        "}"
    ),
    (
        "warning: this `if` has identical blocks\n"
        "  --> src/session.rs:61:27\n"
        "   |\n"
        "61 |     if token.is_expired() { return Err(AuthError::Expired) } else { return Err(AuthError::Expired) }\n"
        "   |                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        "   |\n"
        "   = help: for further information visit https://rust-lang.github.io/rust-clippy/master/index.html#if_same_then_else"
    ),
    (
        "#include <stdio.h>\n"
        "#include <stdlib.h>\n"
        "\n"
        "int main(void) {\n"
        "    const char *home = getenv(\"HOME\");\n"
        "    if (!home) { fprintf(stderr, \"HOME not set\\n\"); return EXIT_FAILURE; }\n"
        "    printf(\"config dir: %s/.config/app\\n\", home);\n"
        "    return 0;\n"
        "}"
    ),
    (
        "/* Clear key material before freeing; plain memset may be optimised away. */\n"
        "void secure_free(void *buf, size_t len) {\n"
        "    if (buf == NULL) return;\n"
        "    explicit_bzero(buf, len);\n"
        "    free(buf);\n"
        "}"
    ),
    (
        "src/session_cache.cpp: In member function 'void SessionCache::evict(const std::string&)':\n"
        "src/session_cache.cpp:47:15: error: 'class std::unordered_map<std::__cxx11::basic_string<char>, SessionEntry>' has no member named 'remove'\n"
        "   47 |     entries_.remove(token_id);\n"
        "      |              ^~~~~~"
    ),
    (
        "#include <openssl/evp.h>\n"
        "\n"
        "std::vector<unsigned char> sha256(std::string_view data) {\n"
        "    std::vector<unsigned char> out(EVP_MAX_MD_SIZE);\n"
        "    unsigned int len = 0;\n"
        "    EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);\n"
        "    out.resize(len);\n"
        "    return out;\n"
        "}"
    ),
    (
        "cmake_minimum_required(VERSION 3.25)\n"
        "project(tls_client LANGUAGES CXX)\n"
        "set(CMAKE_CXX_STANDARD 20)\n"
        "find_package(OpenSSL REQUIRED)\n"
        "add_executable(tls_client src/main.cpp src/handshake.cpp)\n"
        "target_link_libraries(tls_client PRIVATE OpenSSL::SSL OpenSSL::Crypto)"
    ),
    (
        "builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)\n"
        "    .AddJwtBearer(options =>\n"
        "    {\n"
        "        options.Authority = builder.Configuration[\"Auth:Authority\"];\n"
        "        options.Audience = \"inventory-api\";\n"
        "        options.TokenValidationParameters.ValidateLifetime = true;\n"
        "    });"
    ),
    (
        "{\n"
        "  \"ConnectionStrings\": {\n"
        "    \"Default\": \"Server=localhost;Database=Inventory;Trusted_Connection=True;TrustServerCertificate=True\"\n"
        "  },\n"
        "  \"Logging\": { \"LogLevel\": { \"Default\": \"Information\", \"Microsoft.AspNetCore\": \"Warning\" } },\n"
        "  \"Auth\": { \"Authority\": \"https://login.example.com/\", \"ClientSecret\": \"\" }\n"
        "}"
    ),
    (
        "Unhandled exception. System.InvalidOperationException: No authenticationScheme was specified, and there was no DefaultChallengeScheme found.\n"
        "   at Microsoft.AspNetCore.Authentication.AuthenticationService.ChallengeAsync(HttpContext context, String scheme, AuthenticationProperties properties)\n"
        "   at Microsoft.AspNetCore.Authorization.Policy.AuthorizationMiddlewareResultHandler.HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)"
    ),
    (
        "public sealed class ApiKeyOptions\n"
        "{\n"
        "    public const string SectionName = \"ApiKey\";\n"
        "    public string HeaderName { get; init; } = \"X-Api-Key\";\n"
        "    public TimeSpan RotationInterval { get; init; } = TimeSpan.FromDays(30);\n"
        "}"
    ),
    (
        "class User < ApplicationRecord\n"
        "  has_secure_password\n"
        "  validates :password, length: { minimum: 12 }, allow_nil: true\n"
        "  has_many :api_tokens, dependent: :destroy\n"
        "end"
    ),
    (
        "Rails.application.configure do\n"
        "  config.active_storage.service = :amazon\n"
        "  config.force_ssl = true\n"
        "  config.secret_key_base = ENV.fetch(\"SECRET_KEY_BASE\")\n"
        "end"
    ),
    (
        "NoMethodError: undefined method `authenticate' for nil:NilClass\n"
        "  app/controllers/sessions_controller.rb:9:in `create'\n"
        "  actionpack (7.1.3) lib/action_controller/metal/basic_implicit_render.rb:6:in `send_action'"
    ),
    (
        "source \"https://rubygems.org\"\n"
        "ruby \"3.3.1\"\n"
        "\n"
        "gem \"rails\", \"~> 7.1\"\n"
        "gem \"pg\", \"~> 1.5\"\n"
        "gem \"bcrypt\", \"~> 3.1.7\"\n"
        "\n"
        "group :development, :test do\n"
        "  gem \"rspec-rails\"\n"
        "end"
    ),
    (
        "<?php\n"
        "$hash = password_hash($request->input('password'), PASSWORD_ARGON2ID);\n"
        "if (!password_verify($request->input('password'), $user->password_hash)) {\n"
        "    throw new AuthenticationException('Invalid credentials');\n"
        "}"
    ),
    (
        "APP_NAME=Laravel\n"
        "APP_ENV=local\n"
        "APP_KEY=\n"
        "APP_DEBUG=true\n"
        "APP_URL=http://localhost\n"
        "DB_CONNECTION=mysql\n"
        "DB_HOST=127.0.0.1\n"
        "DB_PORT=3306\n"
        "DB_DATABASE=laravel\n"
        "DB_USERNAME=root\n"
        "DB_PASSWORD="
    ),
    (
        "PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/html/src/Db.php:14\n"
        "Stack trace:\n"
        "#0 /var/www/html/src/Db.php(14): PDO->__construct('mysql:host=db;d...', 'app', Object(SensitiveParameterValue))\n"
        "#1 /var/www/html/index.php(7): Db::connect()\n"
        "#2 {main}\n"
        "  thrown in /var/www/html/src/Db.php on line 14"
    ),
    (
        "{\n"
        "  \"require\": {\n"
        "    \"php\": \"^8.2\",\n"
        "    \"laravel/framework\": \"^11.0\",\n"
        "    \"laravel/sanctum\": \"^4.0\"\n"
        "  },\n"
        "  \"autoload\": { \"psr-4\": { \"App\\\\\": \"app/\" } }\n"
        "}"
    ),
    (
        "import Security\n"
        "\n"
        "func saveToKeychain(service: String, account: String, data: Data) -> OSStatus {\n"
        "    let query: [String: Any] = [\n"
        "        kSecClass as String: kSecClassGenericPassword,\n"
        "        kSecAttrService as String: service,\n"
        "        kSecAttrAccount as String: account,\n"
        "        kSecValueData as String: data,\n"
        "    ]\n"
        "    SecItemDelete(query as CFDictionary)\n"
        "    return SecItemAdd(query as CFDictionary, nil)\n"
        "}"
    ),
    (
        "/Sources/App/AuthClient.swift:42:26: error: value of optional type 'String?' must be unwrapped to a value of type 'String'\n"
        "        request.setValue(token, forHTTPHeaderField: \"Authorization\")\n"
        "                         ^"
    ),
    (
        "// swift-tools-version:5.9\n"
        "import PackageDescription\n"
        "\n"
        "let package = Package(\n"
        "    name: \"NetworkKit\",\n"
        "    platforms: [.iOS(.v16), .macOS(.v13)],\n"
        "    dependencies: [.package(url: \"https://github.com/apple/swift-crypto.git\", from: \"3.0.0\")],\n"
        "    targets: [.target(name: \"NetworkKit\", dependencies: [.product(name: \"Crypto\", package: \"swift-crypto\")])]\n"
        ")"
    ),
    (
        "object Main extends IOApp.Simple {\n"
        "  val run: IO[Unit] =\n"
        "    for {\n"
        "      cfg <- ConfigSource.default.at(\"app\").loadF[IO, AppConfig]()\n"
        "      _   <- IO.println(s\"starting on port ${cfg.http.port}\")\n"
        "      _   <- Server.resource(cfg).useForever\n"
        "    } yield ()\n"
        "}"
    ),
    (
        "ThisBuild / scalaVersion := \"3.4.2\"\n"
        "\n"
        "lazy val root = (project in file(\".\"))\n"
        "  .settings(\n"
        "    name := \"ledger-streams\",\n"
        "    libraryDependencies ++= Seq(\n"
        "      \"org.apache.spark\" %% \"spark-sql\" % \"3.5.1\" % Provided,\n"
        "      \"org.typelevel\" %% \"cats-effect\" % \"3.5.4\"\n"
        "    )\n"
        "  )"
    ),
    (
        "val df = spark.read.parquet(\"s3a://analytics-lake/events/dt=2024-05-*/\")\n"
        "df.groupBy($\"event_type\")\n"
        "  .agg(countDistinct($\"session_id\").as(\"sessions\"))\n"
        "  .show(20, truncate = false)"
    ),
    (
        "defmodule MyApp.Accounts.User do\n"
        "  use Ecto.Schema\n"
        "  import Ecto.Changeset\n"
        "\n"
        "  schema \"users\" do\n"
        "    field :email, :string\n"
        "    field :password, :string, virtual: true, redact: true\n"
        "    field :hashed_password, :string, redact: true\n"
        "    timestamps()\n"
        "  end\n"
        "end"
    ),
    (
        "config :my_app, MyApp.Repo,\n"
        "  url: System.fetch_env!(\"DATABASE_URL\"),\n"
        "  pool_size: String.to_integer(System.get_env(\"POOL_SIZE\", \"10\"))\n"
        "\n"
        "config :my_app, MyAppWeb.Endpoint,\n"
        "  secret_key_base: System.fetch_env!(\"SECRET_KEY_BASE\")"
    ),
    (
        "local jwt = require \"resty.jwt\"\n"
        "local auth = ngx.var.http_authorization\n"
        "if not auth then\n"
        "  return ngx.exit(ngx.HTTP_UNAUTHORIZED)\n"
        "end\n"
        "local token = auth:match(\"Bearer%s+(.+)\")\n"
        "local verified = jwt:verify(os.getenv(\"JWT_PUBLIC_KEY\"), token)\n"
        "if not verified.verified then return ngx.exit(ngx.HTTP_FORBIDDEN) end"
    ),
    (
        "library(dplyr)\n"
        "library(ggplot2)\n"
        "\n"
        "df <- readr::read_csv(\"latency.csv\")\n"
        "df |>\n"
        "  group_by(endpoint) |>\n"
        "  summarise(p95 = quantile(latency_ms, 0.95)) |>\n"
        "  ggplot(aes(reorder(endpoint, p95), p95)) + geom_col() + coord_flip()"
    ),
    (
        "final storage = const FlutterSecureStorage();\n"
        "\n"
        "Future<void> saveRefreshToken(String token) async {\n"
        "  await storage.write(key: 'refresh_token', value: token);\n"
        "}\n"
        "\n"
        "Future<String?> readRefreshToken() => storage.read(key: 'refresh_token');"
    ),
    (
        "data Config = Config\n"
        "  { cfgPort      :: Int\n"
        "  , cfgJwtSecret :: ByteString\n"
        "  } deriving (Show)\n"
        "\n"
        "loadConfig :: IO Config\n"
        "loadConfig = Config <$> (read <$> getEnv \"PORT\") <*> (BS.pack <$> getEnv \"JWT_SECRET\")"
    ),
    (
        "use strict;\n"
        "use warnings;\n"
        "use DBI;\n"
        "\n"
        "my $dbh = DBI->connect(\"dbi:Pg:dbname=reports;host=localhost\", $ENV{PGUSER}, $ENV{PGPASSWORD}, { RaiseError => 1 });\n"
        "my $rows = $dbh->selectall_arrayref(\"SELECT id, status FROM jobs WHERE status = ?\", undef, 'failed');\n"
        "printf \"%d failed jobs\\n\", scalar @$rows;"
    ),
    (
        "CREATE TABLE api_tokens (\n"
        "    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),\n"
        "    account_id  bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,\n"
        "    token_hash  bytea NOT NULL,\n"
        "    scopes      text[] NOT NULL DEFAULT '{}',\n"
        "    expires_at  timestamptz,\n"
        "    created_at  timestamptz NOT NULL DEFAULT now()\n"
        ");\n"
        "CREATE UNIQUE INDEX api_tokens_token_hash_idx ON api_tokens (token_hash);"
    ),
    (
        "-- run with: psql -v app_password=\"$APP_DB_PASSWORD\" -f roles.sql\n"
        "CREATE ROLE app_rw LOGIN PASSWORD :'app_password';\n"
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app_rw;\n"
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO app_rw;"
    ),
    (
        "SELECT c.country_code, COUNT(*) AS orders, ROUND(SUM(o.total_cents) / 100, 2) AS revenue\n"
        "FROM orders o\n"
        "JOIN customers c ON c.id = o.customer_id\n"
        "WHERE o.created_at >= DATE_SUB(CURDATE(), INTERVAL 30 DAY)\n"
        "GROUP BY c.country_code\n"
        "ORDER BY revenue DESC\n"
        "LIMIT 10;"
    ),
    "ERROR 1045 (28000): Access denied for user 'app'@'172.18.0.5' (using password: YES)",
    (
        "SELECT\n"
        "  DATE(event_timestamp) AS day,\n"
        "  APPROX_COUNT_DISTINCT(user_pseudo_id) AS dau\n"
        "FROM `analytics-prod.events.events_*`\n"
        "WHERE _TABLE_SUFFIX BETWEEN FORMAT_DATE('%Y%m%d', DATE_SUB(CURRENT_DATE(), INTERVAL 7 DAY))\n"
        "  AND FORMAT_DATE('%Y%m%d', CURRENT_DATE())\n"
        "GROUP BY day\n"
        "ORDER BY day;"
    ),
    (
        "Index Scan using sessions_expires_at_idx on sessions  (cost=0.42..8.44 rows=1 width=72) (actual time=0.031..0.032 rows=1 loops=1)\n"
        "  Index Cond: (expires_at < now())\n"
        "Planning Time: 0.118 ms\n"
        "Execution Time: 0.057 ms"
    ),
    (
        "PRAGMA journal_mode=WAL;\n"
        "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value BLOB NOT NULL, updated_at INTEGER NOT NULL);\n"
        "INSERT INTO kv (key, value, updated_at) VALUES (?, ?, strftime('%s','now'))\n"
        "  ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;"
    ),
    (
        "#!/usr/bin/env bash\n"
        "set -euo pipefail\n"
        "\n"
        ": \"${AWS_PROFILE:?AWS_PROFILE must be set}\"\n"
        "aws sts get-caller-identity --output table\n"
        "aws s3 sync ./dist \"s3://static-assets-staging/app/\" --delete --cache-control \"max-age=300\""
    ),
    (
        "read -r -s -p \"Vault password: \" VAULT_PASS\n"
        "echo\n"
        "export VAULT_PASS\n"
        "ansible-playbook site.yml --vault-password-file <(printf '%s' \"$VAULT_PASS\")"
    ),
    (
        "openssl req -x509 -newkey rsa:4096 -sha256 -days 365 -nodes \\\n"
        "  -keyout localhost.key -out localhost.crt \\\n"
        "  -subj \"/CN=localhost\" -addext \"subjectAltName=DNS:localhost,IP:127.0.0.1\""
    ),
    (
        "ssh-keygen -t ed25519 -C \"ci-deploy-key\" -f ~/.ssh/deploy_ed25519 -N \"\"\n"
        "gh secret set DEPLOY_SSH_KEY < ~/.ssh/deploy_ed25519"
    ),
    (
        "# ~/.zshrc\n"
        "export PATH=\"$HOME/.local/bin:$PATH\"\n"
        "export EDITOR=nvim\n"
        "alias k=kubectl\n"
        "source <(kubectl completion zsh)\n"
        "eval \"$(direnv hook zsh)\""
    ),
    (
        "curl -sS -X POST https://api.example.com/v2/deployments \\\n"
        "  -H \"Authorization: Bearer $DEPLOY_TOKEN\" \\\n"
        "  -H \"Content-Type: application/json\" \\\n"
        "  -d '{\"service\":\"checkout\",\"version\":\"1.42.0\",\"environment\":\"staging\"}'"
    ),
    (
        "find . -name '*.log' -mtime +14 -print0 | xargs -0 rm -f\n"
        "du -sh /var/log/* 2>/dev/null | sort -rh | head -n 5"
    ),
    (
        "kubectl get pods -n payments -o json \\\n"
        "  | jq -r '.items[] | select(.status.phase != \"Running\") | [.metadata.name, .status.phase] | @tsv'"
    ),
    "docker run --rm -p 5432:5432 -e POSTGRES_PASSWORD=\"$PGPASSWORD\" -v pgdata:/var/lib/postgresql/data postgres:16",
    (
        "# m h dom mon dow command\n"
        "*/15 * * * * /opt/backup/bin/snapshot.sh >> /var/log/backup.log 2>&1\n"
        "0 3 * * 0 /usr/bin/certbot renew --quiet --deploy-hook \"systemctl reload nginx\""
    ),
    (
        "$ sha256sum dist/ledger-sync-0.9.0.tar.gz\n"
        "3b0c4c1f5e9a7d2b8f6e1a0c9d4b7e3f2a1c8d5e6b9f0a7c3d2e1b4a5f6c7d8e  dist/ledger-sync-0.9.0.tar.gz"
    ),
    (
        "$ErrorActionPreference = 'Stop'\n"
        "$secure = Read-Host -Prompt 'Enter service account password' -AsSecureString\n"
        "$cred = New-Object System.Management.Automation.PSCredential ('svc-backup', $secure)\n"
        "Invoke-Command -ComputerName FS01 -Credential $cred -ScriptBlock { Get-PSDrive -PSProvider FileSystem }"
    ),
    (
        "Get-ChildItem -Path C:\\inetpub\\logs\\LogFiles -Recurse -Filter *.log |\n"
        "    Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-30) } |\n"
        "    Remove-Item -WhatIf"
    ),
    (
        "$env:ASPNETCORE_ENVIRONMENT = 'Development'\n"
        "$token = $env:GITHUB_TOKEN\n"
        "if (-not $token) { throw 'GITHUB_TOKEN is not set' }\n"
        "Invoke-RestMethod -Uri 'https://api.github.com/repos/octo-org/tools/releases/latest' -Headers @{ Authorization = \"Bearer $token\" }"
    ),
    (
        "FROM python:3.12-slim AS base\n"
        "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\n"
        "WORKDIR /app\n"
        "COPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt\n"
        "COPY . .\n"
        "USER 10001\n"
        "CMD [\"gunicorn\", \"app.wsgi:application\", \"--bind\", \"0.0.0.0:8000\", \"--workers\", \"4\"]"
    ),
    (
        "# syntax=docker/dockerfile:1.7\n"
        "FROM node:20-alpine AS build\n"
        "WORKDIR /src\n"
        "COPY package.json package-lock.json ./\n"
        "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n"
        "COPY . .\n"
        "RUN npm run build"
    ),
    (
        "FROM golang:1.22 AS builder\n"
        "WORKDIR /src\n"
        "COPY go.mod go.sum ./\n"
        "RUN go mod download\n"
        "COPY . .\n"
        "RUN CGO_ENABLED=0 go build -trimpath -ldflags=\"-s -w\" -o /out/api ./cmd/api\n"
        "\n"
        "FROM gcr.io/distroless/static-debian12:nonroot\n"
        "COPY --from=builder /out/api /api\n"
        "ENTRYPOINT [\"/api\"]"
    ),
    (
        " => ERROR [build 4/6] RUN npm ci                                          12.4s\n"
        "------\n"
        " > [build 4/6] RUN npm ci:\n"
        "11.92 npm ERR! code E401\n"
        "11.92 npm ERR! Unable to authenticate, your authentication token seems to be invalid.\n"
        "------\n"
        "ERROR: failed to solve: process \"/bin/sh -c npm ci\" did not complete successfully: exit code: 1"
    ),
    (
        "services:\n"
        "  db:\n"
        "    image: postgres:16\n"
        "    environment:\n"
        "      POSTGRES_DB: app\n"
        "      POSTGRES_USER: app\n"
        "      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n"
        "    secrets: [db_password]\n"
        "    volumes: [\"pgdata:/var/lib/postgresql/data\"]\n"
        "secrets:\n"
        "  db_password: { file: ./secrets/db_password.txt }\n"
        "volumes: { pgdata: {} }"
    ),
    (
        "services:\n"
        "  redis:\n"
        "    image: redis:7-alpine\n"
        "    command: [\"redis-server\", \"--requirepass\", \"${REDIS_PASSWORD:?set REDIS_PASSWORD}\"]\n"
        "    ports: [\"6379:6379\"]\n"
        "  api:\n"
        "    build: .\n"
        "    env_file: .env\n"
        "    depends_on: [redis]"
    ),
    (
        "containers:\n"
        "  - name: api\n"
        "    image: registry.example.com/payments/api:1.18.3\n"
        "    ports: [{ containerPort: 8080 }]\n"
        "    env:\n"
        "      - name: DATABASE_PASSWORD\n"
        "        valueFrom:\n"
        "          secretKeyRef: { name: payments-db, key: password }\n"
        "    readinessProbe:\n"
        "      httpGet: { path: /healthz, port: 8080 }"
    ),
    (
        "apiVersion: external-secrets.io/v1beta1\n"
        "kind: ExternalSecret\n"
        "metadata:\n"
        "  name: payments-db\n"
        "spec:\n"
        "  refreshInterval: 1h\n"
        "  secretStoreRef: { name: vault-backend, kind: ClusterSecretStore }\n"
        "  target: { name: payments-db }\n"
        "  data:\n"
        "    - secretKey: password\n"
        "      remoteRef: { key: secret/data/payments/db, property: password }"
    ),
    (
        "NAME                       READY   STATUS             RESTARTS      AGE\n"
        "api-7d9c6b5f4b-2xkqz       1/1     Running            0             3d4h\n"
        "api-7d9c6b5f4b-9wq7m       0/1     CrashLoopBackOff   17 (2m ago)   64m\n"
        "worker-5b8f7c9d8-lt6vp     1/1     Running            2 (5h ago)    3d4h"
    ),
    (
        "apiVersion: rbac.authorization.k8s.io/v1\n"
        "kind: Role\n"
        "metadata:\n"
        "  name: secret-reader\n"
        "  namespace: payments\n"
        "rules:\n"
        "  - apiGroups: [\"\"]\n"
        "    resources: [\"secrets\"]\n"
        "    resourceNames: [\"payments-db\"]\n"
        "    verbs: [\"get\"]"
    ),
    (
        "apiVersion: networking.k8s.io/v1\n"
        "kind: Ingress\n"
        "metadata:\n"
        "  name: web\n"
        "  annotations:\n"
        "    cert-manager.io/cluster-issuer: letsencrypt-prod\n"
        "spec:\n"
        "  ingressClassName: nginx\n"
        "  tls: [{ hosts: [app.example.com], secretName: web-tls }]\n"
        "  rules:\n"
        "    - host: app.example.com\n"
        "      http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] }"
    ),
    (
        "replicaCount: 3\n"
        "image:\n"
        "  repository: ghcr.io/acme/checkout\n"
        "  tag: \"2.7.0\"\n"
        "  pullPolicy: IfNotPresent\n"
        "auth:\n"
        "  existingSecret: checkout-auth\n"
        "  secretKeys:\n"
        "    clientSecretKey: client-secret\n"
        "resources:\n"
        "  limits: { cpu: 500m, memory: 512Mi }"
    ),
    (
        "env:\n"
        "  - name: API_TOKEN\n"
        "    valueFrom:\n"
        "      secretKeyRef:\n"
        "        name: {{ include \"checkout.fullname\" . }}-auth\n"
        "        key: {{ .Values.auth.secretKeys.apiTokenKey | default \"api-token\" }}\n"
        "  - name: LOG_LEVEL\n"
        "    value: {{ .Values.logLevel | quote }}"
    ),
    (
        "resource \"aws_db_instance\" \"orders\" {\n"
        "  identifier                  = \"orders-prod\"\n"
        "  engine                      = \"postgres\"\n"
        "  engine_version              = \"16.3\"\n"
        "  instance_class              = \"db.r6g.large\"\n"
        "  username                    = \"orders_admin\"\n"
        "  manage_master_user_password = true\n"
        "  storage_encrypted           = true\n"
        "  deletion_protection         = true\n"
        "}"
    ),
    (
        "variable \"db_password\" {\n"
        "  type        = string\n"
        "  sensitive   = true\n"
        "  description = \"Master password for the reporting database, supplied via TF_VAR_db_password\"\n"
        "}"
    ),
    (
        "data \"vault_kv_secret_v2\" \"stripe\" {\n"
        "  mount = \"secret\"\n"
        "  name  = \"payments/stripe\"\n"
        "}\n"
        "\n"
        "resource \"kubernetes_secret\" \"stripe\" {\n"
        "  metadata { name = \"stripe\" }\n"
        "  data = { api_key = data.vault_kv_secret_v2.stripe.data[\"api_key\"] }\n"
        "}"
    ),
    (
        "  # aws_iam_access_key.ci will be created\n"
        "  + resource \"aws_iam_access_key\" \"ci\" {\n"
        "      + create_date = (known after apply)\n"
        "      + id          = (known after apply)\n"
        "      + secret      = (sensitive value)\n"
        "      + user        = \"ci-deployer\"\n"
        "    }\n"
        "\n"
        "Plan: 1 to add, 0 to change, 0 to destroy."
    ),
    (
        "│ Error: No valid credential sources found\n"
        "│\n"
        "│   with provider[\"registry.terraform.io/hashicorp/aws\"],\n"
        "│   on providers.tf line 1, in provider \"aws\":\n"
        "│    1: provider \"aws\" {\n"
        "│\n"
        "│ Please see https://registry.terraform.io/providers/hashicorp/aws\n"
        "│ for more information about providing credentials."
    ),
    (
        "path \"secret/data/payments/*\" {\n"
        "  capabilities = [\"read\"]\n"
        "}\n"
        "\n"
        "path \"auth/token/renew-self\" {\n"
        "  capabilities = [\"update\"]\n"
        "}"
    ),
    (
        "- name: Configure app database user\n"
        "  community.postgresql.postgresql_user:\n"
        "    name: app\n"
        "    password: \"{{ vault_app_db_password }}\"\n"
        "    db: app\n"
        "  no_log: true"
    ),
    (
        "[web]\n"
        "web-01.internal ansible_host=10.0.1.11\n"
        "web-02.internal ansible_host=10.0.1.12\n"
        "\n"
        "[web:vars]\n"
        "ansible_user=deploy\n"
        "ansible_ssh_private_key_file=~/.ssh/deploy_ed25519"
    ),
    (
        "- hosts: all\n"
        "  vars:\n"
        "    api_token: \"{{ lookup('community.hashi_vault.hashi_vault', 'secret=secret/data/ci:token url=https://vault.internal:8200') }}\"\n"
        "  tasks:\n"
        "    - name: Render config\n"
        "      ansible.builtin.template:\n"
        "        src: config.yml.j2\n"
        "        dest: /etc/app/config.yml\n"
        "        mode: \"0600\""
    ),
    (
        "name: ci\n"
        "on: [push, pull_request]\n"
        "jobs:\n"
        "  test:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - uses: actions/setup-python@v5\n"
        "        with: { python-version: \"3.12\" }\n"
        "      - run: pip install -e .[dev] && pytest -q\n"
        "        env:\n"
        "          DATABASE_URL: ${{ secrets.TEST_DATABASE_URL }}"
    ),
    (
        "permissions:\n"
        "  id-token: write\n"
        "  contents: read\n"
        "steps:\n"
        "  - uses: aws-actions/configure-aws-credentials@v4\n"
        "    with:\n"
        "      role-to-assume: arn:aws:iam::123456789012:role/gha-deploy\n"
        "      aws-region: eu-west-1\n"
        "  - run: aws ecr get-login-password | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com"
    ),
    (
        "stages: [build, test, deploy]\n"
        "\n"
        "build:\n"
        "  stage: build\n"
        "  image: docker:26\n"
        "  services: [docker:26-dind]\n"
        "  script:\n"
        "    - echo \"$CI_REGISTRY_PASSWORD\" | docker login -u \"$CI_REGISTRY_USER\" --password-stdin \"$CI_REGISTRY\"\n"
        "    - docker build -t \"$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA\" .\n"
        "    - docker push \"$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA\""
    ),
    (
        "deploy_prod:\n"
        "  stage: deploy\n"
        "  environment: production\n"
        "  rules:\n"
        "    - if: $CI_COMMIT_TAG =~ /^v\\d+\\.\\d+\\.\\d+$/\n"
        "      when: manual\n"
        "  script:\n"
        "    - helm upgrade --install checkout ./chart -f values-prod.yaml --set image.tag=$CI_COMMIT_TAG"
    ),
    (
        "server {\n"
        "    listen 443 ssl http2;\n"
        "    server_name app.example.com;\n"
        "    ssl_certificate     /etc/letsencrypt/live/app.example.com/fullchain.pem;\n"
        "    ssl_certificate_key /etc/letsencrypt/live/app.example.com/privkey.pem;\n"
        "    location /api/ {\n"
        "        proxy_pass http://127.0.0.1:8000;\n"
        "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        "    }\n"
        "}"
    ),
    (
        "location /admin/ {\n"
        "    auth_basic \"Restricted\";\n"
        "    auth_basic_user_file /etc/nginx/.htpasswd;\n"
        "    allow 10.0.0.0/8;\n"
        "    deny all;\n"
        "}"
    ),
    "2024/05/14 09:12:44 [error] 2817#2817: *10452 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.3.17, server: app.example.com, request: \"GET /api/health HTTP/1.1\", upstream: \"http://127.0.0.1:8000/api/health\", host: \"app.example.com\"",
    (
        "<VirtualHost *:80>\n"
        "    ServerName docs.example.com\n"
        "    DocumentRoot /var/www/docs\n"
        "    <Directory /var/www/docs>\n"
        "        AllowOverride None\n"
        "        Require all granted\n"
        "    </Directory>\n"
        "    ErrorLog ${APACHE_LOG_DIR}/docs_error.log\n"
        "    RewriteEngine On\n"
        "    RewriteRule ^/?(.*) https://%{SERVER_NAME}/$1 [R=301,L]\n"
        "</VirtualHost>"
    ),
    (
        "app.example.com {\n"
        "    encode zstd gzip\n"
        "    reverse_proxy localhost:3000\n"
        "    basicauth /metrics/* {\n"
        "        {$METRICS_USER} {$METRICS_PASSWORD_HASH}\n"
        "    }\n"
        "}"
    ),
    (
        "[Unit]\n"
        "Description=Orders API\n"
        "After=network-online.target\n"
        "\n"
        "[Service]\n"
        "User=orders\n"
        "EnvironmentFile=/etc/orders/env\n"
        "ExecStart=/opt/orders/bin/orders-api --config /etc/orders/config.toml\n"
        "Restart=on-failure\n"
        "LoadCredential=db-password:/etc/orders/credentials/db-password\n"
        "[Install]\n"
        "WantedBy=multi-user.target"
    ),
    (
        "May 14 09:12:40 web-01 systemd[1]: orders-api.service: Main process exited, code=exited, status=1/FAILURE\n"
        "May 14 09:12:40 web-01 systemd[1]: orders-api.service: Failed with result 'exit-code'.\n"
        "May 14 09:12:45 web-01 systemd[1]: orders-api.service: Scheduled restart job, restart counter is at 3."
    ),
    (
        "PasswordAuthentication no\n"
        "PermitRootLogin prohibit-password\n"
        "PubkeyAuthentication yes\n"
        "AuthorizedKeysFile .ssh/authorized_keys\n"
        "KbdInteractiveAuthentication no\n"
        "AllowGroups ssh-users"
    ),
    (
        "# TYPE  DATABASE  USER          ADDRESS        METHOD\n"
        "local   all       postgres                     peer\n"
        "host    app       app_rw        10.0.0.0/8     scram-sha-256\n"
        "hostssl all       all           0.0.0.0/0      scram-sha-256"
    ),
    (
        "# copy to .env and fill in\n"
        "DATABASE_URL=postgres://app:<password>@localhost:5432/app\n"
        "REDIS_URL=redis://localhost:6379/0\n"
        "STRIPE_API_KEY=<your-stripe-key>\n"
        "SENTRY_DSN=\n"
        "JWT_SECRET=  # generate with: openssl rand -hex 32"
    ),
    (
        "[database]\n"
        "host = localhost\n"
        "port = 5432\n"
        "name = reporting\n"
        "user = reporting_ro\n"
        "password = %(DB_PASSWORD)s\n"
        "\n"
        "[logging]\n"
        "level = INFO"
    ),
    (
        "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"
        "@acme:registry=https://npm.pkg.github.com\n"
        "always-auth=true"
    ),
    (
        "bootstrap.servers=kafka-0.kafka.internal:9093\n"
        "security.protocol=SASL_SSL\n"
        "sasl.mechanism=SCRAM-SHA-512\n"
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"${KAFKA_USER}\" password=\"${KAFKA_PASSWORD}\";\n"
        "ssl.truststore.location=/etc/kafka/truststore.jks"
    ),
    (
        "[project]\n"
        "name = \"ledger-sync\"\n"
        "version = \"0.9.0\"\n"
        "requires-python = \">=3.11\"\n"
        "dependencies = [\"httpx>=0.27\", \"pydantic-settings>=2.2\", \"cryptography>=42\"]\n"
        "\n"
        "[tool.ruff]\n"
        "line-length = 100\n"
        "\n"
        "[tool.ruff.lint]\n"
        "select = [\"E\", \"F\", \"I\", \"S\"]"
    ),
    (
        "[server]\n"
        "bind = \"0.0.0.0:8443\"\n"
        "tls_cert = \"/etc/edge/tls/cert.pem\"\n"
        "tls_key = \"/etc/edge/tls/key.pem\"\n"
        "\n"
        "[auth]\n"
        "issuer = \"https://auth.example.com\"\n"
        "jwks_url = \"https://auth.example.com/.well-known/jwks.json\"\n"
        "token_ttl_seconds = 900"
    ),
    (
        "components:\n"
        "  securitySchemes:\n"
        "    bearerAuth:\n"
        "      type: http\n"
        "      scheme: bearer\n"
        "      bearerFormat: JWT\n"
        "    apiKeyAuth:\n"
        "      type: apiKey\n"
        "      in: header\n"
        "      name: X-API-Key\n"
        "security:\n"
        "  - bearerAuth: []"
    ),
    (
        "groups:\n"
        "  - name: auth\n"
        "    rules:\n"
        "      - alert: HighLoginFailureRate\n"
        "        expr: sum(rate(auth_login_failures_total[5m])) / sum(rate(auth_login_attempts_total[5m])) > 0.2\n"
        "        for: 10m\n"
        "        labels: { severity: page }\n"
        "        annotations:\n"
        "          summary: \"More than 20% of login attempts are failing\""
    ),
    (
        "Resources:\n"
        "  OrdersDbSecret:\n"
        "    Type: AWS::SecretsManager::Secret\n"
        "    Properties:\n"
        "      Name: orders/db\n"
        "      GenerateSecretString:\n"
        "        SecretStringTemplate: '{\"username\": \"orders_admin\"}'\n"
        "        GenerateStringKey: password\n"
        "        PasswordLength: 32\n"
        "        ExcludeCharacters: '\"@/\\'"
    ),
    (
        "{\n"
        "  \"version\": \"0.2.0\",\n"
        "  \"configurations\": [{\n"
        "      \"type\": \"debugpy\",\n"
        "      \"request\": \"launch\",\n"
        "      \"name\": \"API (uvicorn)\",\n"
        "      \"module\": \"uvicorn\",\n"
        "      \"args\": [\"app.main:app\", \"--reload\", \"--port\", \"8000\"],\n"
        "      \"envFile\": \"${workspaceFolder}/.env\"\n"
        "  }]\n"
        "}"
    ),
    (
        "{\n"
        "  \"alg\": \"RS256\",\n"
        "  \"typ\": \"JWT\",\n"
        "  \"kid\": \"2024-05-signing\"\n"
        "}\n"
        "{\n"
        "  \"iss\": \"https://auth.example.com\",\n"
        "  \"aud\": \"orders-api\",\n"
        "  \"scope\": \"orders:read orders:write\",\n"
        "  \"exp\": 1715680000,\n"
        "  \"iat\": 1715679100\n"
        "}"
    ),
    (
        "{\"ts\":\"2024-05-14T09:12:44.118Z\",\"level\":\"warn\",\"service\":\"auth-gateway\",\"msg\":\"token expired\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"path\":\"/v1/orders\",\"status\":401}\n"
        "{\"ts\":\"2024-05-14T09:12:44.412Z\",\"level\":\"info\",\"service\":\"auth-gateway\",\"msg\":\"token refreshed\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"latency_ms\":38}"
    ),
    (
        "{\n"
        "  \"Version\": \"2012-10-17\",\n"
        "  \"Statement\": [{\n"
        "    \"Effect\": \"Allow\",\n"
        "    \"Action\": [\"secretsmanager:GetSecretValue\"],\n"
        "    \"Resource\": \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/db-*\"\n"
        "  }]\n"
        "}"
    ),
    (
        "<settings>\n"
        "  <servers>\n"
        "    <server>\n"
        "      <id>github</id>\n"
        "      <username>${env.GITHUB_ACTOR}</username>\n"
        "      <password>${env.GITHUB_TOKEN}</password>\n"
        "    </server>\n"
        "  </servers>\n"
        "</settings>"
    ),
    (
        "<Configuration status=\"WARN\">\n"
        "  <Appenders>\n"
        "    <Console name=\"Console\" target=\"SYSTEM_OUT\">\n"
        "      <JsonTemplateLayout eventTemplateUri=\"classpath:EcsLayout.json\"/>\n"
        "    </Console>\n"
        "  </Appenders>\n"
        "  <Loggers>\n"
        "    <Logger name=\"org.hibernate.SQL\" level=\"debug\"/>\n"
        "    <Root level=\"info\"><AppenderRef ref=\"Console\"/></Root>\n"
        "  </Loggers>\n"
        "</Configuration>"
    ),
    (
        "<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\">\n"
        "    <uses-permission android:name=\"android.permission.INTERNET\" />\n"
        "    <application\n"
        "        android:allowBackup=\"false\"\n"
        "        android:networkSecurityConfig=\"@xml/network_security_config\"\n"
        "        android:label=\"@string/app_name\">\n"
        "        <activity android:name=\".auth.LoginActivity\" android:exported=\"true\" />\n"
        "    </application>\n"
        "</manifest>"
    ),
    (
        ".PHONY: test lint build\n"
        "\n"
        "test:\n"
        "\tpytest -q --cov=src\n"
        "\n"
        "lint:\n"
        "\truff check src tests\n"
        "\tmypy src\n"
        "\n"
        "build:\n"
        "\tdocker build -t $(IMAGE):$(shell git rev-parse --short HEAD) ."
    ),
    "Getting `Makefile:12: *** missing separator.  Stop.` after copying a recipe from our wiki. The line looks indented in my editor. What's wrong?",
    (
        "Regex to enforce our password policy (at least 12 chars, one digit, one uppercase, one symbol):\n"
        "^(?=.*\\d)(?=.*[A-Z])(?=.*[^\\w\\s]).{12,}$\n"
        "Is the lookahead approach OK or is there a cleaner way to report which rule failed?"
    ),
    "^(?P<ip>\\S+) \\S+ \\S+ \\[(?P<ts>[^\\]]+)\\] \"(?P<method>[A-Z]+) (?P<path>\\S+) HTTP/[\\d.]+\" (?P<status>\\d{3}) (?P<size>\\d+|-)$",
    (
        "type Mutation {\n"
        "  login(input: LoginInput!): AuthPayload!\n"
        "  refreshToken(refreshToken: String!): AuthPayload!\n"
        "  revokeAllSessions: Boolean!\n"
        "}\n"
        "\n"
        "type AuthPayload {\n"
        "  accessToken: String!\n"
        "  expiresIn: Int!\n"
        "}"
    ),
    (
        "query OpenPullRequests($owner: String!, $name: String!) {\n"
        "  repository(owner: $owner, name: $name) {\n"
        "    pullRequests(states: OPEN, first: 20, orderBy: {field: UPDATED_AT, direction: DESC}) {\n"
        "      nodes { number title updatedAt isDraft }\n"
        "    }\n"
        "  }\n"
        "}"
    ),
    (
        "syntax = \"proto3\";\n"
        "package auth.v1;\n"
        "\n"
        "service TokenService {\n"
        "  rpc IssueToken(IssueTokenRequest) returns (IssueTokenResponse);\n"
        "  rpc RevokeToken(RevokeTokenRequest) returns (google.protobuf.Empty);\n"
        "}\n"
        "\n"
        "message IssueTokenRequest {\n"
        "  string client_id = 1;\n"
        "  repeated string scopes = 2;\n"
        "}"
    ),
    (
        ":root {\n"
        "  --color-primary: #2563eb;\n"
        "  --radius: 0.5rem;\n"
        "}\n"
        ".login-card input[type=\"password\"] {\n"
        "  border: 1px solid var(--color-primary);\n"
        "  border-radius: var(--radius);\n"
        "  letter-spacing: 0.2em;\n"
        "}\n"
        "@media (prefers-color-scheme: dark) { :root { --color-primary: #60a5fa; } }"
    ),
    (
        "<form method=\"post\" action=\"/account/password\">\n"
        "  <input type=\"hidden\" name=\"csrf_token\" value=\"{{ csrf_token() }}\">\n"
        "  <label for=\"new-password\">New password</label>\n"
        "  <input id=\"new-password\" name=\"new_password\" type=\"password\" autocomplete=\"new-password\" minlength=\"12\" required>\n"
        "  <button type=\"submit\">Update password</button>\n"
        "</form>"
    ),
    (
        "{% extends \"base.html\" %}\n"
        "{% block content %}\n"
        "  {% if form.errors %}\n"
        "    <div class=\"alert alert-danger\">{{ form.non_field_errors }}</div>\n"
        "  {% endif %}\n"
        "  <a href=\"{% url 'password_reset' %}\">Forgot your password?</a>\n"
        "{% endblock %}"
    ),
    (
        "\\begin{algorithm}\n"
        "\\caption{Token bucket rate limiter}\n"
        "\\begin{algorithmic}[1]\n"
        "\\State $tokens \\gets \\min(B, tokens + r \\cdot \\Delta t)$\n"
        "\\If{$tokens \\geq 1$}\n"
        "  \\State $tokens \\gets tokens - 1$; \\Return \\texttt{ALLOW}\n"
        "\\Else\n"
        "  \\State \\Return \\texttt{DENY}\n"
        "\\EndIf\n"
        "\\end{algorithmic}\n"
        "\\end{algorithm}"
    ),
    (
        "\\documentclass{article}\n"
        "\\usepackage{amsmath,amssymb}\n"
        "\\begin{document}\n"
        "The expected number of guesses for a uniformly random key of $n$ bits is\n"
        "\\begin{equation}\n"
        "  \\mathbb{E}[G] = \\frac{2^n + 1}{2}\n"
        "\\end{equation}\n"
        "\\end{document}"
    ),
    (
        "10.0.2.15 - - [14/May/2024:09:15:02 +0000] \"POST /api/v1/auth/login HTTP/1.1\" 401 64 \"-\" \"okhttp/4.12.0\"\n"
        "10.0.2.15 - - [14/May/2024:09:15:03 +0000] \"POST /api/v1/auth/login HTTP/1.1\" 200 412 \"-\" \"okhttp/4.12.0\""
    ),
    (
        "2024-05-14 09:20:11,482 INFO  [main] o.s.b.w.e.tomcat.TomcatWebServer - Tomcat started on port 8080 (http) with context path ''\n"
        "2024-05-14 09:20:11,497 INFO  [main] c.a.orders.OrdersApplication - Started OrdersApplication in 6.214 seconds (process running for 6.9)\n"
        "2024-05-14 09:20:15,003 WARN  [http-nio-8080-exec-1] c.a.orders.security.JwtFilter - Rejected request: token signature invalid"
    ),
    (
        "1:C 14 May 2024 09:21:07.501 # Warning: no config file specified, using the default config.\n"
        "1:M 14 May 2024 09:21:07.512 * Ready to accept connections tcp"
    ),
    (
        "2024-05-14 09:30:01.221 UTC [4312] FATAL:  password authentication failed for user \"reporting_ro\"\n"
        "2024-05-14 09:30:01.221 UTC [4312] DETAIL:  Connection matched pg_hba.conf line 99: \"host all all 0.0.0.0/0 scram-sha-256\""
    ),
    (
        "POST /oauth/token HTTP/1.1\n"
        "Host: auth.example.com\n"
        "Content-Type: application/x-www-form-urlencoded\n"
        "\n"
        "grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}&scope=orders.read"
    ),
    (
        "HTTP/1.1 401 Unauthorized\n"
        "Content-Type: application/problem+json\n"
        "WWW-Authenticate: Bearer realm=\"orders\", error=\"invalid_token\", error_description=\"The access token expired\"\n"
        "Cache-Control: no-store\n"
        "\n"
        "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401}"
    ),
    (
        "HTTP/2 200\n"
        "content-type: application/json\n"
        "strict-transport-security: max-age=63072000; includeSubDomains; preload\n"
        "x-request-id: 9b2f6d1e-4c3a-4e8b-a1f0-7d5c2b8e6a31\n"
        "\n"
        "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"<redacted>\"}"
    ),
    (
        "$ git log --oneline -5\n"
        "a3f9c21 (HEAD -> main, origin/main) Rotate signing keys via KMS instead of env var\n"
        "7be04d2 Add PasswordResetService with rate limiting\n"
        "e1c8a90 Bump cryptography from 42.0.5 to 42.0.7\n"
        "4d2b7f3 Fix flaky TokenRefreshTest on slow CI runners\n"
        "09ab6e5 Remove hard-coded DSN from settings"
    ),
    (
        "$ git rebase origin/main\n"
        "Auto-merging src/auth/config.py\n"
        "CONFLICT (content): Merge conflict in src/auth/config.py\n"
        "error: could not apply 7be04d2... Add PasswordResetService with rate limiting\n"
        "hint: Resolve all conflicts manually, mark them as resolved with\n"
        "hint: \"git add/rm <conflicted_files>\", then run \"git rebase --continue\"."
    ),
    (
        "On branch feature/oauth-pkce\n"
        "Your branch is ahead of 'origin/feature/oauth-pkce' by 2 commits.\n"
        "\n"
        "Changes not staged for commit:\n"
        "  (use \"git add <file>...\" to update what will be committed)\n"
        "\tmodified:   src/auth/pkce.ts\n"
        "\tmodified:   src/auth/pkce.test.ts\n"
        "\n"
        "Untracked files:\n"
        "\t.env.local"
    ),
    (
        "# secrets and local config\n"
        ".env\n"
        ".env.*\n"
        "!.env.example\n"
        "*.pem\n"
        "*.key\n"
        "secrets/\n"
        "__pycache__/\n"
        "node_modules/"
    ),
    (
        "Usage: vault kv get [options] KEY\n"
        "\n"
        "  Retrieves the value from Vault's key-value store at the given key name.\n"
        "\n"
        "      $ vault kv get -mount=secret creds\n"
        "\n"
        "Command Options:\n"
        "  -field=<string>    Print only the field with the given name.\n"
        "  -version=<int>     If passed, the value at the version number will be returned."
    ),
    (
        "usage: rotate-keys [-h] [--dry-run] [--kms-key-id KMS_KEY_ID] [--older-than DAYS] service\n"
        "\n"
        "Rotate API signing keys for a service.\n"
        "\n"
        "positional arguments:\n"
        "  service               service name as registered in the key registry\n"
        "\n"
        "options:\n"
        "  -h, --help            show this help message and exit\n"
        "  --dry-run             print what would be rotated without changing anything\n"
        "  --kms-key-id KMS_KEY_ID\n"
        "                        KMS key alias, e.g. alias/signing"
    ),
    "How do I hash passwords with argon2 in Node? Is the `argon2` npm package fine or should I use `@node-rs/argon2`, and what memoryCost makes sense for a login endpoint doing ~50 req/s?",
    "What's the difference between an access token and a refresh token, and where should a single-page app store each one?",
    "Should API keys be stored hashed in the database like passwords? If so, which hash: bcrypt, or SHA-256 with a server-side pepper?",
    "My JWT validation fails with `invalid signature` only in production; locally it works. The signing key comes from AWS Secrets Manager in prod and from .env locally. Where would you start debugging?",
    "Explain PKCE to me like I'm a backend dev who only knows the client_credentials flow. Why does the code_verifier not need to be a stored secret?",
    "Is it OK to log a short prefix of an API key for debugging, the way Stripe keys start with `sk_live_`? What do other teams usually do?",
    "What's the recommended way to pass secrets to a Docker container: env vars, Docker secrets, or a mounted file? Our security team says env vars leak through `docker inspect`.",
    "How do I rotate the Django SECRET_KEY without logging everyone out? I read something about SECRET_KEY_FALLBACKS in 4.1.",
    "Why does bcrypt truncate passwords longer than 72 bytes, and should I pre-hash with SHA-256 before calling it?",
    "In Kubernetes, are Secrets actually encrypted at rest? What does enabling an EncryptionConfiguration with a KMS provider change?",
    "Can someone explain what SameSite=Lax vs Strict means for our session cookie, and whether we still need a CSRF token with Lax?",
    "How should I structure a TokenService class in TypeScript so it can be mocked in Jest? Right now it reads process.env.SIGNING_KEY at import time and the tests blow up.",
    "I accidentally committed a .env file with our staging database password three commits ago (it's already rotated). What's the cleanest way to purge it from history: git filter-repo --path .env --invert-paths, or BFG? We have two long-lived branches.",
    "Our pentest report flags \"JWT accepted with alg=none\". We use PyJWT 2.8 and always pass algorithms=[\"RS256\"]. Is that a false positive or could a proxy be decoding tokens differently?",
    "What's the difference between HashiCorp Vault's KV v1 and v2 engines, and why do the API paths suddenly need `/data/` in them?",
)
