//! Reading Terraform into resources: a directory of `.tf` files (variables with defaults, locals,
//! provider aliases as regions, `count` and `for_each` over literal values (on resources and module
//! calls), `dynamic` blocks over static values, local `module`
//! blocks) or the JSON of `terraform show -json` (planned values, references from the
//! configuration).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hcl::{Block, Body, Expression, ObjectKey, Structure, TemplateExpr, TraversalOperator};
use meridian_model::RegionId;
use serde_json::{Map, Value};

use super::input::{ImportError, Skipped};
use super::resource::{RawResource, as_ref, reference, reference_in_text, unresolved};

/// Modules nested deeper than this are refused (a module that calls itself).
const MAX_DEPTH: usize = 8;
/// The most instances one resource's `count` may make: a design's service has at most 10,000
/// units, and a larger count (`count = 1000000000`) would only exhaust memory.
const MAX_COUNT: u32 = 10_000;

/// Reads a directory of `.tf` files or a plan's JSON.
pub(crate) fn read(path: &Path, skipped: &mut Vec<Skipped>) -> Result<Vec<RawResource>, ImportError> {
    if path.is_file() {
        return super::plan_json::read(path, skipped);
    }
    let mut out = Vec::new();
    let scope = Scope { prefix: String::new(), vars: BTreeMap::new(), providers: BTreeMap::new(), depth: 0 };
    read_module(path, &scope, &mut out, skipped)?;
    Ok(out)
}

/// What a module's expressions see.
struct Scope {
    /// Address prefix: `module.NAME.` inside a module.
    prefix: String,
    /// Variables given by the caller.
    vars: BTreeMap<String, Value>,
    /// Provider configurations passed in: `aws` or `aws.ALIAS` to a region.
    providers: BTreeMap<String, RegionId>,
    depth: usize,
}

/// The environment of one expression.
struct Env<'a> {
    vars: &'a BTreeMap<String, Value>,
    locals: &'a BTreeMap<String, Value>,
    /// `count.index`, `each.key`, `each.value`, and a dynamic block's `ITERATOR.key` and
    /// `ITERATOR.value`.
    iter: BTreeMap<String, Value>,
    prefix: &'a str,
}

#[allow(
    clippy::too_many_lines,
    reason = "one pass over a module's blocks: variables, locals, providers, then resources and module calls"
)]
fn read_module(
    dir: &Path,
    scope: &Scope,
    out: &mut Vec<RawResource>,
    skipped: &mut Vec<Skipped>,
) -> Result<(), ImportError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| ImportError::Read { path: dir.to_path_buf(), message: e.to_string() })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tf"))
        .collect();
    files.sort();
    if files.is_empty() && scope.depth == 0 {
        return Err(ImportError::Read {
            path: dir.to_path_buf(),
            message: "no .tf files in the folder".into(),
        });
    }
    let mut blocks: Vec<Block> = Vec::new();
    for f in &files {
        let text = super::input::read_input(f)?;
        let body: Body = hcl::parse(&text).map_err(|e| ImportError::Parse {
            path: f.clone(),
            line: 0,
            message: e.to_string(),
        })?;
        for s in body.0 {
            if let Structure::Block(b) = s {
                blocks.push(b);
            }
        }
    }
    let label = |b: &Block, i: usize| b.labels.get(i).map(|l| l.as_str().to_owned()).unwrap_or_default();
    let empty = BTreeMap::new();
    // Variables: given, else default.
    let mut vars = BTreeMap::new();
    for b in blocks.iter().filter(|b| b.identifier.as_str() == "variable") {
        let name = label(b, 0);
        let value = scope.vars.get(&name).cloned().or_else(|| {
            attr(&b.body, "default").map(|e| {
                eval(e, &Env { vars: &empty, locals: &empty, iter: BTreeMap::new(), prefix: &scope.prefix })
            })
        });
        vars.insert(
            name.clone(),
            value.unwrap_or_else(|| unresolved(format!("variable {name} has no default"))),
        );
    }
    // Locals, in a few rounds so that locals may use each other.
    let mut locals: BTreeMap<String, Value> = BTreeMap::new();
    for _ in 0..4 {
        for b in blocks.iter().filter(|b| b.identifier.as_str() == "locals") {
            for s in &b.body.0 {
                if let Structure::Attribute(a) = s {
                    let env =
                        Env { vars: &vars, locals: &locals, iter: BTreeMap::new(), prefix: &scope.prefix };
                    let v = eval(&a.expr, &env);
                    locals.insert(a.key.as_str().to_owned(), v);
                }
            }
        }
    }
    // Providers: alias to region.
    let mut providers = scope.providers.clone();
    for b in blocks.iter().filter(|b| b.identifier.as_str() == "provider" && label(b, 0) == "aws") {
        let env = Env { vars: &vars, locals: &locals, iter: BTreeMap::new(), prefix: &scope.prefix };
        let region = attr(&b.body, "region").map(|e| eval(e, &env));
        let key = attr(&b.body, "alias")
            .map(|e| eval(e, &env))
            .and_then(|v| v.as_str().map(|a| format!("aws.{a}")))
            .unwrap_or_else(|| "aws".to_owned());
        if let Some(r) = region.as_ref().and_then(Value::as_str) {
            providers.insert(key, RegionId::new(r));
        }
    }
    for b in &blocks {
        match b.identifier.as_str() {
            "resource" | "data" => {
                let data = b.identifier.as_str() == "data";
                let ty = label(b, 0);
                let name = label(b, 1);
                let base = if data {
                    format!("{}data.{ty}.{name}", scope.prefix)
                } else {
                    format!("{}{ty}.{name}", scope.prefix)
                };
                let env = Env { vars: &vars, locals: &locals, iter: BTreeMap::new(), prefix: &scope.prefix };
                let instances = match instances(&b.body, &env) {
                    Ok(i) => i,
                    Err(why) => {
                        skipped.push(Skipped::new(&base, why));
                        continue;
                    }
                };
                for (suffix, iter) in instances {
                    let env = Env { vars: &vars, locals: &locals, iter, prefix: &scope.prefix };
                    let props = body_value(&b.body, &env);
                    unexpanded(&format!("{base}{suffix}"), &props, skipped);
                    let region = match attr(&b.body, "provider") {
                        Some(e) => provider_key(e).and_then(|k| providers.get(&k).cloned()),
                        None => providers.get("aws").cloned(),
                    };
                    // `module.queue["orders"].` reads `queue_orders_`.
                    let module_name: String = scope
                        .prefix
                        .replace("module.", "")
                        .chars()
                        .filter(|c| !matches!(c, '"' | ']'))
                        .map(|c| if c == '.' || c == '[' { '_' } else { c })
                        .collect();
                    out.push(RawResource {
                        address: format!("{base}{suffix}"),
                        name: format!("{module_name}{name}{suffix}"),
                        ty: if data { format!("data.{ty}") } else { ty.clone() },
                        region,
                        props,
                    });
                }
            }
            "module" => {
                let name = label(b, 0);
                let address = format!("{}module.{name}", scope.prefix);
                let env = Env { vars: &vars, locals: &locals, iter: BTreeMap::new(), prefix: &scope.prefix };
                let source = attr(&b.body, "source").map(|e| eval(e, &env));
                let source = source.as_ref().and_then(Value::as_str).unwrap_or_default().to_owned();
                if !(source.starts_with("./") || source.starts_with("../")) {
                    skipped.push(Skipped::new(
                        &address,
                        format!("module source `{source}` is not a local path"),
                    ));
                    continue;
                }
                // One call per instance of `count` or `for_each` (over values known statically).
                let instances = match instances(&b.body, &env) {
                    Ok(i) => i,
                    Err(why) => {
                        skipped.push(Skipped::new(&address, why));
                        continue;
                    }
                };
                if scope.depth >= MAX_DEPTH {
                    skipped.push(Skipped::new(
                        &address,
                        format!("modules nested deeper than {MAX_DEPTH} levels"),
                    ));
                    continue;
                }
                for (suffix, iter) in instances {
                    let env = Env { vars: &vars, locals: &locals, iter, prefix: &scope.prefix };
                    let inner = module_scope(
                        &b.body,
                        &env,
                        &providers,
                        format!("{address}{suffix}."),
                        scope.depth + 1,
                    );
                    read_module(&dir.join(&source), &inner, out, skipped)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The scope of one call of a module: its arguments evaluated in the caller's environment and the
/// provider configurations passed to it (the caller's default one unless `providers` says otherwise).
fn module_scope(
    body: &Body,
    env: &Env,
    providers: &BTreeMap<String, RegionId>,
    prefix: String,
    depth: usize,
) -> Scope {
    let mut args = BTreeMap::new();
    let mut inner_providers = BTreeMap::new();
    if let Some(r) = providers.get("aws") {
        inner_providers.insert("aws".to_owned(), r.clone());
    }
    for s in &body.0 {
        match s {
            Structure::Attribute(a) if a.key.as_str() == "providers" => {
                if let Expression::Object(o) = &a.expr {
                    for (k, v) in o {
                        let inner = object_key(k);
                        if let Some(r) = provider_key(v).and_then(|p| providers.get(&p).cloned()) {
                            inner_providers.insert(inner, r);
                        }
                    }
                }
            }
            Structure::Attribute(a)
                if !["source", "version", "depends_on", "count", "for_each"].contains(&a.key.as_str()) =>
            {
                args.insert(a.key.as_str().to_owned(), eval(&a.expr, env));
            }
            _ => {}
        }
    }
    Scope { prefix, vars: args, providers: inner_providers, depth }
}

/// One instance of a resource: its address suffix and its `count.index` or `each` values.
type Instance = (String, BTreeMap<String, Value>);

/// The instances of a resource: `count` or `for_each` over values known statically.
fn instances(body: &Body, env: &Env) -> Result<Vec<Instance>, String> {
    if let Some(c) = attr(body, "count") {
        let v = eval(c, env);
        let n = super::resource::as_u32(&v)
            .ok_or_else(|| format!("count over a value not known statically ({})", short(&v)))?;
        if n > MAX_COUNT {
            return Err(format!(
                "count = {n}: at most {MAX_COUNT} instances of one resource are imported (a design's service has at most 10000 units)"
            ));
        }
        return Ok((0..n)
            .map(|i| (format!("[{i}]"), BTreeMap::from([("count.index".to_owned(), Value::from(i))])))
            .collect());
    }
    if let Some(f) = attr(body, "for_each") {
        let v = eval(f, env);
        let pairs: Vec<(String, Value)> = match &v {
            Value::Object(m) if as_ref(&v).is_none() && !m.contains_key(super::resource::UNRESOLVED) => {
                m.iter().map(|(k, x)| (k.clone(), x.clone())).collect()
            }
            Value::Array(items) if items.iter().all(Value::is_string) => {
                items.iter().map(|x| (x.as_str().unwrap_or_default().to_owned(), x.clone())).collect()
            }
            _ => return Err(format!("for_each over a value not known statically ({})", short(&v))),
        };
        return Ok(pairs
            .into_iter()
            .map(|(k, x)| {
                (
                    format!("[\"{k}\"]"),
                    BTreeMap::from([("each.key".to_owned(), Value::from(k)), ("each.value".to_owned(), x)]),
                )
            })
            .collect());
    }
    Ok(vec![(String::new(), BTreeMap::new())])
}

fn short(v: &Value) -> String {
    super::resource::unresolved_why(v).map_or_else(|| v.to_string(), str::to_owned)
}

fn attr<'a>(body: &'a Body, key: &str) -> Option<&'a Expression> {
    body.0.iter().find_map(|s| match s {
        Structure::Attribute(a) if a.key.as_str() == key => Some(&a.expr),
        _ => None,
    })
}

/// `aws.eu_west_1` as written in a `provider` argument.
fn provider_key(e: &Expression) -> Option<String> {
    match e {
        Expression::Variable(v) => Some(v.as_str().to_owned()),
        Expression::Traversal(t) => {
            let Expression::Variable(root) = &t.expr else { return None };
            let mut s = root.as_str().to_owned();
            for op in &t.operators {
                if let TraversalOperator::GetAttr(a) = op {
                    s.push('.');
                    s.push_str(a.as_str());
                }
            }
            Some(s)
        }
        _ => None,
    }
}

fn object_key(k: &ObjectKey) -> String {
    match k {
        ObjectKey::Identifier(i) => i.as_str().to_owned(),
        ObjectKey::Expression(e) => provider_key(e).unwrap_or_default(),
        _ => String::new(),
    }
}

/// A block body as a JSON object: attributes evaluated, nested blocks as arrays of objects.
fn body_value(body: &Body, env: &Env) -> Value {
    let mut map = Map::new();
    for s in &body.0 {
        match s {
            Structure::Attribute(a) => {
                if !["count", "for_each", "provider", "depends_on"].contains(&a.key.as_str()) {
                    map.insert(a.key.as_str().to_owned(), eval(&a.expr, env));
                }
            }
            Structure::Block(b) if b.identifier.as_str() == "dynamic" => {
                let label = b.labels.first().map(|l| l.as_str().to_owned()).unwrap_or_default();
                match dynamic(&b.body, &label, env) {
                    Ok(items) => {
                        for v in items {
                            push_block(&mut map, label.clone(), v);
                        }
                    }
                    // Left under `dynamic LABEL` with the reason, which the reader lists as skipped.
                    Err(why) => {
                        map.insert(format!("{DYNAMIC}{label}"), Value::String(why));
                    }
                }
            }
            Structure::Block(b) => {
                let key = b.identifier.as_str().to_owned();
                if key == "lifecycle" {
                    continue;
                }
                push_block(&mut map, key, body_value(&b.body, env));
            }
        }
    }
    Value::Object(map)
}

/// The key prefix under which a dynamic block that could not be expanded is kept, with the reason.
const DYNAMIC: &str = "dynamic ";

/// Appends one nested block's value under `key`.
fn push_block(map: &mut Map<String, Value>, key: String, v: Value) {
    match map.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
        Value::Array(items) => items.push(v),
        other => *other = v,
    }
}

/// The blocks a `dynamic "LABEL"` block generates: its `content` once per element of its
/// `for_each` (a list: keys are the indexes; a map or object: its keys), with `ITERATOR.key` and
/// `ITERATOR.value` (the iterator is `LABEL` unless `iterator` names another), or why not.
fn dynamic(body: &Body, label: &str, env: &Env) -> Result<Vec<Value>, String> {
    let Some(f) = attr(body, "for_each") else { return Err("a dynamic block without for_each".into()) };
    let v = eval(f, env);
    let pairs: Vec<(Value, Value)> = match &v {
        Value::Array(items) if !items.iter().any(|x| super::resource::unresolved_why(x).is_some()) => {
            items.iter().enumerate().map(|(i, x)| (Value::from(i), x.clone())).collect()
        }
        Value::Object(m) if as_ref(&v).is_none() && !m.contains_key(super::resource::UNRESOLVED) => {
            m.iter().map(|(k, x)| (Value::from(k.clone()), x.clone())).collect()
        }
        _ => return Err(format!("for_each over a value not known statically ({})", short(&v))),
    };
    let iterator = match attr(body, "iterator") {
        Some(Expression::Variable(v)) => v.as_str().to_owned(),
        _ => label.to_owned(),
    };
    let content = body.0.iter().find_map(|s| match s {
        Structure::Block(b) if b.identifier.as_str() == "content" => Some(&b.body),
        _ => None,
    });
    let Some(content) = content else { return Err("a dynamic block without content".into()) };
    Ok(pairs
        .into_iter()
        .map(|(k, x)| {
            let mut iter = env.iter.clone();
            iter.insert(format!("{iterator}.key"), k);
            iter.insert(format!("{iterator}.value"), x);
            body_value(content, &Env { vars: env.vars, locals: env.locals, iter, prefix: env.prefix })
        })
        .collect())
}

/// Lists the dynamic blocks of `props` (at any depth) that could not be expanded as skipped.
fn unexpanded(address: &str, props: &Value, skipped: &mut Vec<Skipped>) {
    match props {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.strip_prefix(DYNAMIC), v) {
                    (Some(label), Value::String(why)) => {
                        skipped.push(Skipped::new(
                            address,
                            format!("dynamic block {label} not expanded: {why}"),
                        ));
                    }
                    _ => unexpanded(address, v, skipped),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|x| unexpanded(address, x, skipped)),
        _ => {}
    }
}

/// Evaluates an expression as far as it is known statically.
fn eval(e: &Expression, env: &Env) -> Value {
    match e {
        Expression::Null => Value::Null,
        Expression::Bool(b) => Value::Bool(*b),
        Expression::Number(n) => serde_json::to_value(n).unwrap_or(Value::Null),
        Expression::String(s) => Value::String(s.clone()),
        Expression::Array(items) => Value::Array(items.iter().map(|x| eval(x, env)).collect()),
        Expression::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (object_key_text(k, env), eval(v, env))).collect())
        }
        Expression::TemplateExpr(t) => template(t, env),
        Expression::Variable(v) => unresolved(format!("bare variable {}", v.as_str())),
        Expression::Traversal(t) => traversal(t, env),
        Expression::Parenthesis(inner) => eval(inner, env),
        Expression::Conditional(c) => match eval(&c.cond_expr, env) {
            Value::Bool(true) => eval(&c.true_expr, env),
            Value::Bool(false) => eval(&c.false_expr, env),
            _ => unresolved("a conditional whose condition is not known statically"),
        },
        Expression::FuncCall(f) => match (f.name.to_string().as_str(), f.args.as_slice()) {
            ("tonumber" | "tostring" | "tolist" | "toset", [x]) => eval(x, env),
            ("lower", [x]) => eval(x, env)
                .as_str()
                .map_or_else(|| unresolved("lower() of an unknown value"), |s| Value::from(s.to_lowercase())),
            (name, _) => {
                let args: Vec<Value> = f.args.iter().map(|x| eval(x, env)).collect();
                let mut refs = Vec::new();
                for a in &args {
                    super::resource::refs_in(a, &mut refs);
                }
                match refs.first() {
                    Some(r) => reference_in_text(r, &format!("{name}(...)")),
                    None => unresolved(format!("function {name}() is not evaluated")),
                }
            }
        },
        Expression::Operation(_) => unresolved("an operation is not evaluated"),
        Expression::ForExpr(_) => unresolved("a for expression is not evaluated"),
        _ => unresolved("an expression of an unknown form"),
    }
}

fn object_key_text(k: &ObjectKey, env: &Env) -> String {
    match k {
        ObjectKey::Identifier(i) => i.as_str().to_owned(),
        ObjectKey::Expression(e) => match eval(e, env) {
            Value::String(s) => s,
            other => other.to_string(),
        },
        _ => String::new(),
    }
}

fn template(t: &TemplateExpr, env: &Env) -> Value {
    let Ok(tpl) = hcl::Template::from_expr(t) else { return unresolved("a template that does not parse") };
    let mut out = String::new();
    let mut first_ref = None;
    for el in tpl.elements() {
        match el {
            hcl::template::Element::Literal(s) => out.push_str(s),
            hcl::template::Element::Interpolation(i) => {
                let v = eval(&i.expr, env);
                match &v {
                    Value::String(s) => out.push_str(s),
                    Value::Number(n) => out.push_str(&n.to_string()),
                    Value::Bool(b) => out.push_str(&b.to_string()),
                    _ => {
                        if let Some(r) = as_ref(&v) {
                            first_ref.get_or_insert_with(|| r.to_owned());
                            out.push_str("${");
                            out.push_str(r);
                            out.push('}');
                        } else {
                            out.push_str("${?}");
                        }
                    }
                }
            }
            hcl::template::Element::Directive(_) => {
                return unresolved("a template directive is not evaluated");
            }
        }
    }
    match first_ref {
        Some(r) => reference_in_text(&r, &out),
        None => Value::String(out),
    }
}

fn traversal(t: &hcl::Traversal, env: &Env) -> Value {
    let Expression::Variable(root) = &t.expr else { return unresolved("a traversal of an expression") };
    let root = root.as_str();
    let attrs: Vec<&str> = t
        .operators
        .iter()
        .map_while(|op| match op {
            TraversalOperator::GetAttr(a) => Some(a.as_str()),
            _ => None,
        })
        .collect();
    let index = t.operators.iter().find_map(|op| match op {
        TraversalOperator::Index(e) => Some(eval(e, env)),
        _ => None,
    });
    let index_suffix = match &index {
        Some(Value::Number(n)) => format!("[{n}]"),
        Some(Value::String(s)) => format!("[\"{s}\"]"),
        _ => String::new(),
    };
    match root {
        "var" => attrs.first().and_then(|n| env.vars.get(*n)).cloned().map_or_else(
            || unresolved(format!("var.{} is not declared", attrs.first().unwrap_or(&""))),
            |v| dig(v, &attrs[1..]),
        ),
        "local" => attrs.first().and_then(|n| env.locals.get(*n)).cloned().map_or_else(
            || unresolved(format!("local.{} is not known", attrs.first().unwrap_or(&""))),
            |v| dig(v, &attrs[1..]),
        ),
        "count" | "each" => {
            let key = format!("{root}.{}", attrs.first().unwrap_or(&""));
            env.iter
                .get(key.as_str())
                .cloned()
                .map_or_else(|| unresolved(format!("{key} outside count/for_each")), |v| dig(v, &attrs[1..]))
        }
        // A dynamic block's iterator (`ingress.value`, `replica.key`).
        it if attrs.first().is_some_and(|a| env.iter.contains_key(&format!("{it}.{a}"))) => {
            let key = format!("{it}.{}", attrs[0]);
            env.iter.get(&key).cloned().map_or_else(|| unresolved(key.clone()), |v| dig(v, &attrs[1..]))
        }
        "data" if attrs.len() >= 2 => {
            let (ty, name) = (attrs[0], attrs[1]);
            let suffix = if attrs.len() == 2 { index_suffix } else { String::new() };
            reference(&format!("{}data.{ty}.{name}{suffix}", env.prefix))
        }
        "module" => unresolved(format!("module output module.{}", attrs.join("."))),
        "path" | "terraform" | "self" => unresolved(format!("{root}.{}", attrs.join("."))),
        ty if ty.contains('_') && !attrs.is_empty() => {
            let suffix = if attrs.len() == 1 { index_suffix } else { String::new() };
            reference(&format!("{}{ty}.{}{suffix}", env.prefix, attrs[0]))
        }
        other => unresolved(format!("reference to {other}")),
    }
}

/// `v.a.b` for the attribute path `a.b` (objects only).
fn dig(v: Value, path: &[&str]) -> Value {
    path.iter()
        .try_fold(v, |v, k| v.get(*k).cloned())
        .unwrap_or_else(|| unresolved(format!("attribute {} not known", path.join("."))))
}
