// Video profiles: upload straight to storage with a progress bar, record with the camera
// (MediaRecorder), and follow the processing state. Progressive enhancement: without this file
// the page still shows the state with a reload link, and captions can be uploaded with a form.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function postJSON(url, data, token) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
      body: JSON.stringify(data)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) { throw new Error(body.error || ""); }
        return body;
      });
    });
  }

  // Send the file as the ticket says: S3 presigned POST (fields first, file last) or a PUT of the raw body.
  function sendToStorage(ticket, blob, filename, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(ticket.method, ticket.url, true);
      var body = blob;
      if (ticket.method === "POST") {
        body = new FormData();
        Object.keys(ticket.fields || {}).forEach(function (name) { body.append(name, ticket.fields[name]); });
        body.append(ticket.file_field || "file", blob, filename);
      } else {
        xhr.withCredentials = true;
        Object.keys(ticket.headers || {}).forEach(function (name) { xhr.setRequestHeader(name, ticket.headers[name]); });
      }
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { onProgress(event.loaded / event.total); }
      });
      xhr.addEventListener("load", function () {
        if (xhr.status >= 200 && xhr.status < 300) { resolve(); return; }
        var message = "";
        try { message = JSON.parse(xhr.responseText).error || ""; } catch (e) { message = ""; }
        reject(new Error(message));
      });
      xhr.addEventListener("error", function () { reject(new Error("")); });
      xhr.send(body);
    });
  }

  function Uploader(form) {
    this.form = form;
    this.error = form.querySelector("[data-video-error]");
    this.progress = form.querySelector("[data-video-progress]");
    this.bar = this.progress.querySelector("progress");
    this.progressText = this.progress.querySelector("[data-video-progress-text]");
    this.input = form.querySelector("input[type=file]");
    this.busy = false;
  }

  Uploader.prototype.showError = function (message) {
    this.error.textContent = message;
    this.error.hidden = !message;
    if (this.input) { this.input.setAttribute("aria-invalid", message ? "true" : "false"); }
    if (message && this.input) { this.input.focus(); }
  };

  Uploader.prototype.setProgress = function (fraction, text) {
    this.progress.hidden = false;
    this.bar.value = Math.round(fraction * 100);
    this.progressText.textContent = text || (Math.round(fraction * 100) + "%");
  };

  // Upload one file or recording; resolves when the portal has queued it for processing.
  Uploader.prototype.upload = function (blob, filename) {
    var self = this, data = this.form.dataset, token = csrfToken(this.form);
    var type = (blob.type || "application/octet-stream").split(";")[0];
    this.showError("");
    if (blob.size === 0) { this.showError(data.msgEmpty); return Promise.resolve(); }
    if (blob.size > Number(data.maxBytes)) { this.showError(data.msgTooLarge); return Promise.resolve(); }
    if (this.busy) { return Promise.resolve(); }
    this.busy = true;
    this.setProgress(0, data.msgUploading);
    return postJSON(data.ticketUrl, { content_type: type, size: blob.size, filename: filename }, token)
      .then(function (ticket) {
        var typed = blob.type === ticket.content_type ? blob : blob.slice(0, blob.size, ticket.content_type);
        return sendToStorage(ticket, typed, filename, function (f) { self.setProgress(f); }).then(function () {
          return postJSON(ticket.complete_url, { key: ticket.key }, token);
        });
      })
      .then(function () {
        self.setProgress(1, data.msgDone);
        window.location.reload();
      })
      .catch(function (err) {
        self.progress.hidden = true;
        self.showError(err.message || data.msgFailed);
      })
      .then(function () { self.busy = false; });
  };

  function setUpUpload(form) {
    var uploader = new Uploader(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var file = uploader.input.files && uploader.input.files[0];
      if (!file) { uploader.showError(form.dataset.msgNoFile); return; }
      uploader.upload(file, file.name);
    });
    return uploader;
  }

  function setUpRecorder(section, uploader) {
    if (!uploader || !window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
    section.hidden = false;
    var preview = section.querySelector("[data-recorder-preview]");
    var cameraButton = section.querySelector("[data-recorder-camera]");
    var startButton = section.querySelector("[data-recorder-start]");
    var stopButton = section.querySelector("[data-recorder-stop]");
    var uploadButton = section.querySelector("[data-recorder-upload]");
    var status = section.querySelector("[data-recorder-status]");
    var stream = null, recorder = null, chunks = [], recording = null, timer = null;
    var maxMs = 180 * 1000;
    var type = ["video/webm;codecs=vp8,opus", "video/webm", "video/mp4"].filter(function (t) {
      return MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(t);
    })[0] || "";

    cameraButton.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { height: { ideal: 720 } }, audio: true }).then(function (s) {
        stream = s;
        preview.srcObject = s;
        preview.play();
        startButton.disabled = false;
        cameraButton.disabled = true;
        status.textContent = "";
      }).catch(function () { status.textContent = section.dataset.msgNoCamera || "Camera niet beschikbaar."; });
    });

    startButton.addEventListener("click", function () {
      chunks = [];
      recording = null;
      recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
      recorder.addEventListener("dataavailable", function (e) { if (e.data && e.data.size) { chunks.push(e.data); } });
      recorder.addEventListener("stop", function () {
        clearTimeout(timer);
        recording = new Blob(chunks, { type: (recorder.mimeType || "video/webm").split(";")[0] });
        uploadButton.disabled = false;
        startButton.disabled = false;
        stopButton.disabled = true;
        status.textContent = Math.round(recording.size / 1024) + " KB";
      });
      recorder.start(1000);
      timer = setTimeout(function () { if (recorder.state === "recording") { recorder.stop(); } }, maxMs);
      startButton.disabled = true;
      stopButton.disabled = false;
      uploadButton.disabled = true;
      status.textContent = "●";
    });

    stopButton.addEventListener("click", function () { if (recorder && recorder.state === "recording") { recorder.stop(); } });

    uploadButton.addEventListener("click", function () {
      if (!recording) { return; }
      uploadButton.disabled = true;
      var ext = recording.type.indexOf("mp4") >= 0 ? "mp4" : "webm";
      uploader.upload(recording, "opname." + ext).then(function () { uploadButton.disabled = false; });
    });
  }

  // Poll the small JSON status endpoint while the video is being processed; reload when it is done.
  function setUpStatus(section) {
    var url = section.dataset.statusUrl;
    var text = section.querySelector("[data-video-status-text]");
    var state = section.dataset.state;
    if (!url || (state !== "uploaded" && state !== "processing")) { return; }
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { setTimeout(poll, 5000); return; }
          if (data.state !== state) {
            if (data.state === "ready" || data.state === "failed" || data.state === null) { window.location.reload(); return; }
            state = data.state;
            text.textContent = data.label;
          }
          setTimeout(poll, 2000);
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    setTimeout(poll, 1500);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-video-upload]");
    var uploader = form ? setUpUpload(form) : null;
    var recorder = document.querySelector("[data-video-recorder]");
    if (recorder) { setUpRecorder(recorder, uploader); }
    var status = document.querySelector("[data-video-status]");
    if (status) { setUpStatus(status); }
  });
}());
