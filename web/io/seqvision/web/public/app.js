// seqvision demo page: plain JavaScript, no build step, no third-party code.
"use strict";

(function () {
  // Box colours by class index; exposed (window.seqvision.palette) so that tests can check the drawing.
  const PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4",
                   "#f032e6", "#9a6324", "#469990", "#800000", "#808000", "#000075"];
  const KEYPOINT_COLOUR = "#ffe119";
  const TASK_LABELS = {
    detection: "Detection (boxes)",
    segmentation: "Instance masks",
    keypoints: "Person keypoints",
    captioning: "Caption",
  };

  const $ = (id) => document.getElementById(id);
  const canvas = $("overlay");
  const state = {
    overview: null,      // GET /api/model
    image: null,         // HTMLImageElement of the current upload
    blob: null,          // its bytes, for re-running
    prediction: null,    // POST /api/predict answer
    highlight: null,     // index of the highlighted object, or null
    captionHighlight: false,
    tokenOwner: [],      // per sequence, per token: {object: i} or {caption: true} or null
    source: null,        // the current image: a sample's name or "upload"
    requests: 0,         // predictions asked for; only the latest one's answer is drawn
  };

  function colourOf(classIndex) {
    return PALETTE[((classIndex % PALETTE.length) + PALETTE.length) % PALETTE.length];
  }

  function setStatus(text, kind) {
    const status = $("status");
    status.textContent = text || "";
    status.className = "status" + (kind ? " " + kind : "");
  }

  async function getJson(url) {
    const response = await fetch(url);
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const message = body && body.message ? body.message : response.status + " " + response.statusText;
      throw Object.assign(new Error(message), { status: response.status, body });
    }
    return body;
  }

  // ---- model, tasks, samples -------------------------------------------------------------

  async function loadOverview() {
    try {
      const overview = await getJson("/api/model");
      state.overview = overview;
      const m = overview.model;
      $("model-name").textContent = m.name;
      $("model-meta").textContent = `${m.encoder} · ${m.imageSize} px · ${m.classes.length} classes · step ${m.trainingStep}`;
      const limits = overview.limits;
      $("limits-hint").textContent = `PNG, JPEG, GIF or BMP · up to ${(limits.maxUploadBytes / 1048576).toFixed(0)} MiB, `
          + `${limits.maxImageSide} px a side`;
      renderTasks(m.tasks);
      renderEncoderFacts(m);
      $("run").disabled = false;
    } catch (e) {
      $("model-name").textContent = "model unavailable";
      setStatus(e.message, "error");
    }
  }

  // Only the tasks the loaded model supports are offered, every one of them checked.
  function renderTasks(tasks) {
    const box = $("tasks");
    box.innerHTML = "";
    for (const task of tasks) {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox";
      input.name = "task";
      input.value = task;
      input.checked = true;
      input.addEventListener("change", () => { if (state.blob) predict(); });
      label.append(input, " " + (TASK_LABELS[task] || task));
      box.append(label);
    }
  }

  function selectedTasks() {
    return [...document.querySelectorAll("#tasks input[name=task]:checked")].map((i) => i.value);
  }

  async function loadSamples() {
    try {
      const samples = await getJson("/api/samples");
      const box = $("samples");
      box.innerHTML = "";
      for (const sample of samples) {
        const button = document.createElement("button");
        button.type = "button";
        button.title = `${sample.name} (${sample.width}x${sample.height})`;
        button.dataset.sample = sample.name;
        const img = document.createElement("img");
        img.src = sample.url;
        img.alt = sample.name;
        button.append(img);
        button.addEventListener("click", () => useSample(button, sample));
        box.append(button);
      }
      return samples;
    } catch (e) {
      $("samples").textContent = "no samples: " + e.message;
    }
  }

  async function useSample(button, sample) {
    document.querySelectorAll(".samples button").forEach((b) => b.classList.remove("active"));
    button.classList.add("active");
    const response = await fetch(sample.url);
    return useImage(await response.blob(), sample.name);
  }

  // ---- uploading and predicting ----------------------------------------------------------

  // Resolves once the image's prediction has been drawn (or has failed). source: the sample's
  // name, or "upload"; the canvas carries it (data-source) with the answer drawn.
  function useImage(blob, source) {
    state.blob = blob;
    state.source = source || "upload";
    const url = URL.createObjectURL(blob);
    const img = new Image();
    return new Promise((resolve) => {
      img.onload = () => {
        state.image = img;
        state.prediction = null;
        state.highlight = null;
        draw();
        predict().then(resolve);
      };
      img.onerror = () => {
        // The browser cannot show it; the server still says why it is refused.
        state.image = null;
        predict().then(resolve);
      };
      img.src = url;
    });
  }

  async function predict() {
    if (!state.blob) {
      return;
    }
    const tasks = selectedTasks();
    if (tasks.length === 0) {
      setStatus("Pick at least one task.", "error");
      return;
    }
    const params = new URLSearchParams({ tasks: tasks.join(",") });
    if ($("sampler").value) params.set("sampler", $("sampler").value);
    if ($("seed").value !== "") params.set("seed", $("seed").value);
    const request = ++state.requests;
    const source = state.source;
    canvas.dataset.state = "loading";
    setStatus("Decoding…", "busy");
    $("run").disabled = true;
    try {
      const response = await fetch("/api/predict?" + params, {
        method: "POST",
        headers: { "Content-Type": state.blob.type || "application/octet-stream" },
        body: state.blob,
      });
      const body = await response.json().catch(() => null);
      if (request !== state.requests) return;  // a newer request has replaced this one
      if (!response.ok) {
        const message = body && body.message ? body.message : `${response.status} ${response.statusText}`;
        throw Object.assign(new Error(message), { status: response.status, code: body && body.error });
      }
      canvas.dataset.source = source;
      state.prediction = body;
      state.highlight = null;
      renderPrediction();
      const n = body.objects.length;
      setStatus(`${n} object${n === 1 ? "" : "s"} found.`);
      canvas.dataset.state = "done";
    } catch (e) {
      if (request !== state.requests) return;
      canvas.dataset.source = source;
      state.prediction = null;
      renderPrediction();
      canvas.dataset.state = "error";
      setStatus(`${e.status ? e.status + ": " : ""}${e.message}`, "error");
    } finally {
      if (request === state.requests) $("run").disabled = false;
    }
  }

  // ---- drawing ---------------------------------------------------------------------------

  // The canvas has the image's own pixel size (CSS scales it), so result coordinates map 1:1.
  function draw() {
    const img = state.image;
    const g = canvas.getContext("2d");
    if (!img) {
      canvas.dataset.state = canvas.dataset.state === "error" ? "error" : "empty";
      $("placeholder").hidden = false;
      return;
    }
    $("placeholder").hidden = true;
    if (canvas.dataset.state === "empty") canvas.dataset.state = "loading";
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    // Fit the wrapper; small images are scaled up, and strokes and labels are sized in screen pixels.
    const wrap = canvas.parentElement;
    const scale = Math.min((wrap.clientWidth || canvas.width) / canvas.width,
        Math.max(240, window.innerHeight * 0.55) / canvas.height);
    canvas.style.width = Math.round(canvas.width * scale) + "px";
    canvas.style.height = Math.round(canvas.height * scale) + "px";
    g.drawImage(img, 0, 0);
    const p = state.prediction;
    canvas.dataset.objects = p ? String(p.objects.length) : "0";
    canvas.dataset.highlight = state.highlight === null ? "" : String(state.highlight);
    if (!p) {
      return;
    }
    const px = 1 / scale;
    p.objects.forEach((o, i) => {
      const dimmed = state.highlight !== null && state.highlight !== i;
      g.save();
      g.globalAlpha = dimmed ? 0.3 : 1;
      drawObject(g, o, px, state.highlight === i, p.keypointLayout);
      g.restore();
    });
  }

  // px: one screen pixel in canvas pixels. Strokes are at least 2 canvas pixels wide.
  function drawObject(g, o, px, highlighted, layout) {
    const colour = colourOf(o.classIndex);
    if (o.mask) {
      g.save();
      g.globalAlpha *= highlighted ? 0.55 : 0.35;
      g.fillStyle = colour;
      g.beginPath();
      for (const polygon of o.mask) {
        polygon.forEach(([x, y], k) => (k === 0 ? g.moveTo(x, y) : g.lineTo(x, y)));
        g.closePath();
      }
      g.fill("evenodd");
      g.restore();
    }
    const b = o.box;
    const width = highlighted ? Math.max(3, 3.5 * px) : Math.max(2, 2 * px);
    if (highlighted) {
      g.strokeStyle = "#ffffff";
      g.lineWidth = width + Math.max(2, 2 * px);
      g.strokeRect(b.xmin, b.ymin, b.xmax - b.xmin, b.ymax - b.ymin);
    }
    g.strokeStyle = colour;
    g.lineWidth = width;
    g.strokeRect(b.xmin, b.ymin, b.xmax - b.xmin, b.ymax - b.ymin);
    if (o.keypoints && layout) {
      drawKeypoints(g, o.keypoints, layout, colour, px);
    }
    const text = `${o.className} ${(o.score * 100).toFixed(0)}%`;
    g.font = `${12 * px}px system-ui, sans-serif`;
    const tw = g.measureText(text).width + 8 * px;
    const th = 17 * px;
    const ty = b.ymin - th >= 0 ? b.ymin - th : b.ymax;
    g.fillStyle = colour;
    g.fillRect(b.xmin, ty, tw, th);
    g.fillStyle = "#ffffff";
    g.textBaseline = "middle";
    g.fillText(text, b.xmin + 4 * px, ty + th / 2);
  }

  function drawKeypoints(g, keypoints, layout, colour, px) {
    g.save();
    g.lineWidth = Math.max(1.5, 2 * px);
    g.strokeStyle = colour;
    for (const [a, b] of layout.skeleton) {
      const p = keypoints[a];
      const q = keypoints[b];
      if (p[2] > 0 && q[2] > 0) {
        g.beginPath();
        g.moveTo(p[0], p[1]);
        g.lineTo(q[0], q[1]);
        g.stroke();
      }
    }
    for (const [x, y, v] of keypoints) {
      if (v > 0) {
        g.beginPath();
        g.arc(x, y, Math.max(2.5, 4 * px), 0, 2 * Math.PI);
        g.fillStyle = v === 2 ? KEYPOINT_COLOUR : "#ffffff";
        g.fill();
        g.lineWidth = Math.max(1, 1.2 * px);
        g.strokeStyle = "#000000";
        g.stroke();
      }
    }
    g.restore();
  }

  // ---- result panels ---------------------------------------------------------------------

  function renderPrediction() {
    const p = state.prediction;
    buildTokenOwners(p);
    draw();
    renderObjects(p);
    renderCaption(p);
    renderSequences(p);
    $("timing").textContent = p ? `${p.imageWidth}x${p.imageHeight} px · ${p.elapsedMs.toFixed(0)} ms · ${p.decoding.sampler}` : "";
  }

  function buildTokenOwners(p) {
    state.tokenOwner = p ? p.sequences.map((s) => new Array(s.tokens.length).fill(null)) : [];
    if (!p) return;
    p.objects.forEach((o, i) => {
      for (const span of o.tokenSpans) {
        for (let t = span.start; t < span.end; t++) state.tokenOwner[span.sequence][t] = { object: i };
      }
    });
    if (p.caption) {
      for (const span of p.caption.tokenSpans) {
        for (let t = span.start; t < span.end; t++) state.tokenOwner[span.sequence][t] = { caption: true };
      }
    }
  }

  function renderObjects(p) {
    const table = $("objects");
    const body = table.querySelector("tbody");
    body.innerHTML = "";
    table.hidden = !p || p.objects.length === 0;
    if (!p) return;
    p.objects.forEach((o, i) => {
      const row = document.createElement("tr");
      row.className = "object-row";
      row.dataset.object = String(i);
      const b = o.box;
      const extras = [];
      if (o.mask) extras.push(`mask: ${o.mask.length} polygon${o.mask.length === 1 ? "" : "s"}`);
      if (o.keypoints) extras.push(`${o.keypoints.filter((k) => k[2] > 0).length} keypoints`);
      row.innerHTML = `<td>${i}</td><td><span class="swatch"></span></td><td>${(o.score * 100).toFixed(1)}%</td>`
          + `<td>${b.xmin.toFixed(0)}, ${b.ymin.toFixed(0)}, ${(b.xmax - b.xmin).toFixed(0)}, ${(b.ymax - b.ymin).toFixed(0)}</td>`
          + `<td>${extras.join(", ")}</td>`;
      row.querySelector(".swatch").style.background = colourOf(o.classIndex);
      row.children[1].append(o.className);
      row.addEventListener("mouseenter", () => setHighlight(i));
      row.addEventListener("mouseleave", () => setHighlight(null));
      body.append(row);
    });
  }

  function renderCaption(p) {
    const caption = $("caption");
    caption.hidden = !p || !p.caption;
    caption.textContent = p && p.caption ? p.caption.text : "";
    caption.onmouseenter = () => setCaptionHighlight(true);
    caption.onmouseleave = () => setCaptionHighlight(false);
  }

  // Tokens are grouped by what they produced: hovering a group highlights its object.
  function renderSequences(p) {
    const box = $("sequences");
    box.innerHTML = "";
    if (!p) return;
    p.sequences.forEach((sequence, s) => {
      const head = document.createElement("div");
      head.className = "sequence-head";
      head.textContent = `${sequence.task}: ${sequence.tokens.length} tokens${sequence.ended ? "" : " (length budget ran out)"}`;
      const line = document.createElement("div");
      line.className = "sequence";
      line.dataset.sequence = String(s);
      let group = null;
      let groupKey = null;
      sequence.tokens.forEach((token, t) => {
        const owner = state.tokenOwner[s][t];
        const key = owner ? (owner.caption ? "caption" : "object-" + owner.object) : null;
        if (key !== groupKey || key === null) {
          group = document.createElement("span");
          group.className = "group";
          if (owner && owner.caption) {
            group.dataset.caption = "true";
            group.addEventListener("mouseenter", () => setCaptionHighlight(true));
            group.addEventListener("mouseleave", () => setCaptionHighlight(false));
          } else if (owner) {
            const index = owner.object;
            group.dataset.object = String(index);
            group.style.borderBottomColor = colourOf(p.objects[index].classIndex);
            group.addEventListener("mouseenter", () => setHighlight(index));
            group.addEventListener("mouseleave", () => setHighlight(null));
          }
          line.append(group);
          groupKey = key;
        }
        const tok = document.createElement("span");
        tok.className = "tok kind-" + token.kind;
        tok.textContent = token.text;
        const probability = token.probability === undefined || token.probability === null ? null : token.probability;
        tok.title = `id ${token.id} · ${token.kind}` + (probability === null ? "" : ` · p = ${probability.toFixed(3)}`);
        if (probability !== null) tok.style.setProperty("--p", (probability * 100).toFixed(0) + "%");
        group.append(tok);
      });
      box.append(head, line);
    });
  }

  function setHighlight(index) {
    if (state.highlight === index) return;
    state.highlight = index;
    document.querySelectorAll(".group[data-object]").forEach((g) =>
      g.classList.toggle("hl", index !== null && g.dataset.object === String(index)));
    document.querySelectorAll(".object-row").forEach((r) =>
      r.classList.toggle("hl", index !== null && r.dataset.object === String(index)));
    draw();
  }

  function setCaptionHighlight(on) {
    state.captionHighlight = on;
    $("caption").classList.toggle("hl", on);
    document.querySelectorAll(".group[data-caption]").forEach((g) => g.classList.toggle("hl", on));
  }

  // Hovering the image highlights the smallest box under the pointer.
  canvas.addEventListener("mousemove", (event) => {
    const p = state.prediction;
    if (!p) return;
    const rect = canvas.getBoundingClientRect();
    const x = (event.clientX - rect.left) * canvas.width / rect.width;
    const y = (event.clientY - rect.top) * canvas.height / rect.height;
    let best = null;
    let bestArea = Infinity;
    p.objects.forEach((o, i) => {
      const b = o.box;
      const area = (b.xmax - b.xmin) * (b.ymax - b.ymin);
      if (x >= b.xmin && x <= b.xmax && y >= b.ymin && y <= b.ymax && area < bestArea) {
        best = i;
        bestArea = area;
      }
    });
    setHighlight(best);
  });
  canvas.addEventListener("mouseleave", () => setHighlight(null));

  // ---- encoder and learning curves -------------------------------------------------------

  function renderEncoderFacts(m) {
    const facts = $("encoder-facts");
    facts.innerHTML = "";
    const add = (term, value) => {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.textContent = value;
      facts.append(dt, dd);
    };
    add("encoder", m.encoder);
    add("input", `${m.imageSize} x ${m.imageSize} px`);
    add("classes", m.classes.join(", "));
    return add;
  }

  async function loadReceptiveField() {
    try {
      const erf = await getJson("/api/model/erf");
      const img = $("erf");
      img.onload = () => { img.hidden = false; };
      img.src = "/api/model/erf.png";
      $("erf-caption").textContent = `Effective receptive field of the trained ${erf.encoder} at ${erf.inputSide} px `
          + `(gradient of the centre output, ${erf.images} images, log scale): 20 % within ${erf.side20} px, `
          + `50 % within ${erf.side50} px, 99 % within ${erf.side99} px.`;
    } catch (e) {
      $("erf-caption").textContent = "No receptive-field map: " + e.message;
    }
  }

  async function loadCurves() {
    try {
      drawCurves(await getJson("/api/model/metrics"));
    } catch (e) {
      $("curves").hidden = true;
      $("curves-caption").textContent = "No learning curves: " + e.message;
    }
  }

  // The table of the encoder study the model was trained in, when it was (404 no_study otherwise).
  async function loadStudy() {
    let study;
    try {
      study = await getJson("/api/model/study");
    } catch (e) {
      return;
    }
    const table = $("study-table");
    table.innerHTML = "";
    const head = document.createElement("tr");
    for (const column of study.columns) {
      const th = document.createElement("th");
      th.textContent = column;
      head.append(th);
    }
    table.append(head);
    for (const row of study.rows) {
      const tr = document.createElement("tr");
      if (row[0] === study.encoder) {
        tr.className = "current";
      }
      for (const cell of row) {
        const td = document.createElement("td");
        td.textContent = cell;
        tr.append(td);
      }
      table.append(tr);
    }
    $("study-caption").textContent = `This model is the ${study.encoder} run of the encoder study `
        + `"${study.study}": every encoder trained on the same config, evaluated on the held-out split.`;
    $("study-panel").hidden = false;
  }

  // Loss columns on the left axis, the learning rate (dashed) on the right one.
  function drawCurves(curves) {
    const c = $("curves");
    const g = c.getContext("2d");
    const stepColumn = curves.columns.indexOf("step");
    const lossColumns = curves.columns.map((name, i) => ({ name, i })).filter((col) => /loss/.test(col.name));
    const lrColumn = curves.columns.indexOf("learning_rate");
    const rows = curves.rows.filter((r) => r[stepColumn] !== null);
    c.dataset.points = String(rows.length);
    if (stepColumn < 0 || rows.length === 0 || lossColumns.length === 0) {
      $("curves-caption").textContent = "metrics.csv has no step or loss values yet.";
      return;
    }
    const pad = { left: 48, right: 56, top: 12, bottom: 30 };
    const w = c.width - pad.left - pad.right;
    const h = c.height - pad.top - pad.bottom;
    const steps = rows.map((r) => r[stepColumn]);
    const x0 = Math.min(...steps);
    const x1 = Math.max(...steps) === x0 ? x0 + 1 : Math.max(...steps);
    const losses = rows.flatMap((r) => lossColumns.map((col) => r[col.i])).filter((v) => v !== null);
    const y0 = Math.min(0, ...losses);
    const y1 = Math.max(...losses) * 1.05 || 1;
    const sx = (v) => pad.left + (v - x0) / (x1 - x0) * w;
    const sy = (v, lo, hi) => pad.top + h - (v - lo) / (hi - lo) * h;
    g.clearRect(0, 0, c.width, c.height);
    g.font = "11px system-ui, sans-serif";
    g.strokeStyle = "#c9ced8";
    g.fillStyle = "#667085";
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(pad.left, pad.top);
    g.lineTo(pad.left, pad.top + h);
    g.lineTo(pad.left + w, pad.top + h);
    g.stroke();
    for (let k = 0; k <= 4; k++) {
      const v = y0 + (y1 - y0) * k / 4;
      g.fillText(v.toFixed(2), 6, sy(v, y0, y1) + 4);
      const s = x0 + (x1 - x0) * k / 4;
      g.fillText(String(Math.round(s)), sx(s) - 10, c.height - 10);
    }
    const line = (column, lo, hi, colour, dash) => {
      g.save();
      g.strokeStyle = colour;
      g.lineWidth = 2;
      g.setLineDash(dash);
      g.beginPath();
      let started = false;
      for (const r of rows) {
        if (r[column] === null) continue;
        const px = sx(r[stepColumn]);
        const py = sy(r[column], lo, hi);
        if (started) g.lineTo(px, py); else g.moveTo(px, py);
        started = true;
      }
      g.stroke();
      g.restore();
    };
    const legend = [];
    lossColumns.forEach((col, k) => {
      const colour = PALETTE[(k + 2) % PALETTE.length];
      line(col.i, y0, y1, colour, []);
      legend.push(`<span class="swatch" style="background:${colour}"></span>${col.name}`);
    });
    if (lrColumn >= 0) {
      const rates = rows.map((r) => r[lrColumn]).filter((v) => v !== null);
      const r1 = Math.max(...rates) || 1;
      line(lrColumn, 0, r1 * 1.05, "#98a2b3", [5, 4]);
      g.fillStyle = "#98a2b3";
      g.fillText(r1.toExponential(1), pad.left + w + 6, sy(r1, 0, r1 * 1.05) + 4);
      legend.push(`<span class="swatch" style="background:#98a2b3"></span>learning rate (right axis)`);
    }
    const last = rows[rows.length - 1];
    $("curves-caption").innerHTML = legend.join(" &nbsp; ") + ` &nbsp;·&nbsp; ${rows.length} points, last step ${last[stepColumn]}`
        + (lossColumns.length ? `, ${lossColumns[0].name} ${Number(last[lossColumns[0].i]).toFixed(3)}` : "");
  }

  // ---- health ----------------------------------------------------------------------------

  async function pollHealth() {
    const dot = $("health");
    try {
      const health = await getJson("/api/health");
      dot.className = "health ok";
      const shared = health.decoding && health.decoding.steps > 0
        ? ` · ${health.decoding.meanRows.toFixed(1)} of ${health.decoding.maxRows} sequences a decoding step` : "";
      dot.title = `ok · ${health.running} decoding, ${health.waiting} waiting${shared} · up ${health.uptimeSeconds} s`;
    } catch (e) {
      dot.className = "health bad";
      dot.title = "server unreachable: " + e.message;
    }
  }

  // ---- wiring ----------------------------------------------------------------------------

  const drop = $("drop");
  $("file").addEventListener("change", (event) => {
    const file = event.target.files[0];
    if (file) useImage(file, "upload");
  });
  ["dragenter", "dragover"].forEach((type) => drop.addEventListener(type, (event) => {
    event.preventDefault();
    drop.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((type) => drop.addEventListener(type, () => drop.classList.remove("over")));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    const file = event.dataTransfer.files[0];
    if (file) useImage(file, "upload");
  });
  $("run").addEventListener("click", predict);
  window.addEventListener("resize", () => { if (state.image) draw(); });

  window.seqvision = { palette: PALETTE, keypointColour: KEYPOINT_COLOUR, state };

  // The page opens on the first built-in sample, analysed with every task, unless the visitor has
  // already chosen an image; the receptive field (measured on first request) waits for that answer.
  Promise.all([loadOverview(), loadSamples()]).then(async ([, samples]) => {
    const first = document.querySelector("#samples button");
    if (state.overview && samples && samples.length > 0 && first && !state.blob) {
      await useSample(first, samples[0]);
    }
  }).finally(loadReceptiveField);
  loadCurves();
  loadStudy();
  pollHealth();
  setInterval(pollHealth, 10000);
})();
