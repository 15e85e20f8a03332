//! The real-world corpus: responses people posted publicly (bug reports, AWS documentation and
//! forums), each file under `tests/fixtures/real/` with its source URL and the cause the source
//! established, in `#!` lines the test strips before parsing. Nothing in them is invented or
//! completed: body-only, headers-only and partial pastes stay as posted.
//!
//! The verdict must name the established cause first in at least 95 % of them. Files collected
//! together carry a `#! batch:` date; the test prints the figure on the newest batch apart (the
//! first figure of a new batch, before any change, is the honest measure of generalisation).

use cf503_core::parse::Input;
use cf503_core::parse_input;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

macro_rules! corpus {
    ($($name:literal,)*) => {
        &[$(($name, include_str!(concat!("../../../tests/fixtures/real/", $name)))),*]
    };
}
static CORPUS: &[(&str, &str)] = corpus![
    "cloudfront_api--aws-cdk-15891-go-sdk.txt",
    "cloudfront_api--awsdocs-101-internal-error.txt",
    "cloudfront_api--invalidate-action-18-cli.txt",
    "cloudfront_api--s3cmd-1214-retry-log.txt",
    "cloudfront_function_error--construct-hub-402.txt",
    "lambda_edge_execution--cloudfront-preview-domains-1-lambda-log.txt",
    "lambda_edge_execution--cognito-at-edge-86-timeout.txt",
    "lambda_edge_execution--covid19-scenarios-51.txt",
    "lambda_edge_execution--cs50-curl-headers-only.txt",
    "lambda_edge_execution--dnd-kit-1618-quoted.txt",
    "lambda_edge_execution--polkadex-459-title-only.txt",
    "lambda_edge_execution--prerendercloud-18-sentence.txt",
    "lambda_edge_execution--resolve-2125-html.txt",
    "lambda_edge_execution--serverless-next-181-headers.txt",
    "lambda_edge_execution--serverless-next-2014-task-timed-out-log.txt",
    "lambda_edge_execution--serverless-next-2014-timeouts.txt",
    "lambda_edge_execution--serverless-next-222-over-10s.txt",
    "lambda_edge_execution--serverless-next-566-getinitialprops.txt",
    "lambda_edge_execution--soundcloud-api-306-tabs.txt",
    "lambda_edge_execution--xray-9-title-and-sentence.txt",
    "lambda_edge_invalid--amplify-hosting-1176-read-only-header.txt",
    "lambda_edge_invalid--amplify-hosting-2357-header-values-quoted.txt",
    "lambda_edge_invalid--amplify-hosting-3701-origin-config.txt",
    "lambda_edge_invalid--authorization-at-edge-12-headers-object.txt",
    "lambda_edge_invalid--aws-lambda-blog-20-invalid-response.txt",
    "lambda_edge_invalid--cloudfront-auth-30-older-wording.txt",
    "lambda_edge_invalid--opennext-393-blacklisted-header-html.txt",
    "lambda_edge_invalid--react-ssr-lambda-28.txt",
    "lambda_edge_invalid--serverless-express-369-read-only-header.txt",
    "lambda_edge_invalid--serverless-next-525-invalid-json-title.txt",
    "lambda_edge_invalid--serverless-next-981-xml.txt",
    "lambda_edge_invalid--serverless-plugin-lambda-edge-74-paraphrase.txt",
    "lambda_edge_throttled--amplify-hosting-2889.txt",
    "lambda_edge_throttled--amplify-hosting-3208.txt",
    "lambda_edge_throttled--amplify-hosting-3210-again.txt",
    "lambda_edge_throttled--amplify-hosting-3422-header.txt",
    "lambda_edge_throttled--s3-image-handler-2-title.txt",
    "lambda_edge_throttled--serverless-next-2544.txt",
    "not_cloudfront--anonymous-github-459-cloudflare-524.txt",
    "not_cloudfront--bongo-cat-460-cloudflare-503.txt",
    "not_cloudfront--brick-155-fastly.txt",
    "not_cloudfront--cachix-730-cloudflare-json.txt",
    "not_cloudfront--chatgpt-1339-cloudflare-523-fragment.txt",
    "not_cloudfront--cloudflared-mon-1-docker-log.txt",
    "not_cloudfront--crossorigin-me-84-cloudflare-headers.txt",
    "not_cloudfront--gcli2api-354-cloudflare-524-html.txt",
    "not_cloudfront--goflyway-119-cloudflare-522.txt",
    "not_cloudfront--npm-18626-no-healthy-backends.txt",
    "not_cloudfront--npm-registry-61-haproxy-504.txt",
    "not_cloudfront--office-screen-7-fastly.txt",
    "not_cloudfront--openjdk-api-341-cloudflare-headers.txt",
    "not_cloudfront--pihole-blocklists-89-varnish.txt",
    "not_cloudfront--pipe-bot-22-cloudflare-504-log.txt",
    "not_cloudfront--pythondotorg-748-varnish.txt",
    "not_cloudfront--spotiflyer-584-cloudflare-522.txt",
    "origin_connect--awsbook-1-no-status.txt",
    "origin_connect--can-i-take-over-xyz-66-older-502.txt",
    "origin_connect--confetti-28-failed-to-contact.txt",
    "origin_connect--elfinder-3367.txt",
    "origin_connect--etherscamdb-1505-title-and-sentence.txt",
    "origin_connect--hebo-416-failed-to-contact.txt",
    "origin_connect--privatkopiera-8.txt",
    "origin_dns--amplify-hosting-1840.txt",
    "origin_invalid_response--image-handler-442-log-record.txt",
    "origin_overloaded--autom8n-216-apache.txt",
    "origin_overloaded--crossorigin-me-83-haproxy.txt",
    "origin_overloaded--esi-902-alb-502.txt",
    "origin_overloaded--galaxy-cloudlaunch-222-openresty.txt",
    "origin_overloaded--nextcloud-15045-slowdown-xml.txt",
    "origin_overloaded--nix-cachyos-77-haproxy.txt",
    "origin_overloaded--popit-411-apache.txt",
    "origin_overloaded--refugerestrooms-285-heroku.txt",
    "origin_overloaded--sagemaker-dashboards-3-alb.txt",
    "origin_overloaded--terraform-next-js-289-api-gateway.txt",
    "origin_overloaded--tiflash-10538-s3-slowdown.txt",
    "origin_overloaded--unpkg-124-heroku.txt",
    "origin_timeout--addons-server-18623-upload.txt",
    "origin_timeout--arkit-848.txt",
    "origin_timeout--copr-4345-http3.txt",
    "origin_timeout--copr-4509-prose.txt",
    "origin_timeout--dreamwidth-3406-quoted.txt",
    "origin_timeout--ds-free-api-25-html.txt",
    "origin_timeout--icon-210.txt",
    "origin_timeout--mozilla-addons-1846-upload.txt",
    "origin_timeout--pirate-weather-325.txt",
    "origin_timeout--s3-cloudfront-redirect-3-504.txt",
    "origin_timeout--single-cell-1250-html.txt",
    "origin_timeout--single-cell-7189-slow-backend.txt",
    "origin_timeout--strapi-1366-2018.txt",
    "origin_tls--aptible-docker-nginx-42-ciphers.txt",
    "origin_tls--jare-9-https.txt",
    "origin_tls--stackoverflow-20664018-httpie.txt",
    "origin_tls--widdix-68-certificate-name.txt",
];

/// The `#! key: value` lines of a corpus file, and the paste after them.
fn split(file: &str) -> (Vec<(&str, &str)>, &str) {
    let mut meta = Vec::new();
    let mut rest = file;
    while let Some(line) = rest.strip_prefix("#! ") {
        let (line, next) = line.split_once('\n').unwrap_or((line, ""));
        if let Some((k, v)) = line.split_once(": ") {
            meta.push((k, v.trim()));
        }
        rest = next;
    }
    (meta, rest)
}

fn meta<'a>(meta: &[(&str, &'a str)], key: &str) -> Option<&'a str> {
    meta.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn corpus_list_matches_the_directory() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/real");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    let listed: Vec<String> = CORPUS.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(on_disk, listed, "add the new file to CORPUS in this file");
}

#[test]
fn every_corpus_file_cites_its_source_and_cause() {
    assert!(CORPUS.len() >= 40, "{} files", CORPUS.len());
    for (name, file) in CORPUS {
        let (m, paste) = split(file);
        let source = meta(&m, "source").unwrap_or_else(|| panic!("{name}: no source"));
        assert!(source.starts_with("https://"), "{name}: {source}");
        let cause = meta(&m, "cause").unwrap_or_else(|| panic!("{name}: no cause"));
        assert!(
            cf503_core::CauseId::from_name(cause).is_some(),
            "{name}: unknown cause {cause}"
        );
        assert!(
            name.starts_with(&format!("{cause}--")),
            "{name}: name and cause differ"
        );
        assert!(!paste.trim().is_empty(), "{name}: empty paste");
    }
}

#[test]
fn real_world_top1_is_at_least_95_percent() {
    let mut right = 0;
    let mut misses = Vec::new();
    let newest = CORPUS
        .iter()
        .filter_map(|(_, file)| meta(&split(file).0, "batch"))
        .max();
    let (mut batch_right, mut batch_total) = (0, 0);
    for (name, file) in CORPUS {
        let (m, paste) = split(file);
        let expected = meta(&m, "cause").unwrap();
        let in_batch = newest.is_some() && meta(&m, "batch") == newest;
        let got = match parse_input(paste.as_bytes()) {
            Ok(Input::Response(obs)) => {
                let d = cf503_core::diagnose(&obs);
                let ranked: Vec<String> = d
                    .findings
                    .iter()
                    .take(3)
                    .map(|f| format!("{} {:.2}", f.cause.as_str(), f.confidence))
                    .collect();
                (d.top().cause.as_str().to_string(), ranked.join(", "))
            }
            Ok(_) => ("har".into(), String::new()),
            Err(e) => ("error".into(), e.to_string()),
        };
        batch_total += usize::from(in_batch);
        if got.0 == expected {
            right += 1;
            batch_right += usize::from(in_batch);
        } else {
            misses.push(format!(
                "  {name}: expected {expected}, got {} ({})",
                got.0, got.1
            ));
        }
    }
    let total = CORPUS.len();
    println!("real-world: {right}/{total} top-1");
    if let Some(batch) = newest {
        println!("real-world, newest batch ({batch}): {batch_right}/{batch_total} top-1");
    }
    for m in &misses {
        println!("{m}");
    }
    assert!(
        right * 100 >= total * 95,
        "real-world: {right}/{total} top-1, below 95 %:\n{}",
        misses.join("\n")
    );
}
